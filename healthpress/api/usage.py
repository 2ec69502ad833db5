"""Requests per key per day, counted without a database write per request.

Each request adds one to a counter in Django's cache (Redis in production: shared by every
process; local memory otherwise: one counter per process). At most once per
API_USAGE_FLUSH_SECONDS per key, a request moves what its counters hold into the key's
`KeyUsage` row for the day and stamps the key's `last_used_at`: an UPDATE with an F() expression,
so two processes flushing at once both count. The admin page flushes every key before it shows
them, so its figures are exact whatever the time since the last flush.

A counter is taken by subtracting what was read (decr), not by deleting it, so requests counted
between the read and the write stay for the next flush.
"""

from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from .models import KeyUsage

COUNTER_SECONDS = 3 * 24 * 3600  # a counter outlives its day by long enough to be flushed


def counter_key(token_id, day):
    return f"api-usage:{token_id}:{day.isoformat()}"


def count_request(token):
    """Count one request by `token` (an APIToken), flushing its counters when due."""
    today = timezone.localdate()
    key = counter_key(token.pk, today)
    cache.add(key, 0, timeout=COUNTER_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=COUNTER_SECONDS)
    if cache.add(f"api-usage-flushed:{token.pk}", 1, timeout=settings.API_USAGE_FLUSH_SECONDS):
        flush([token.pk])


def flush(token_ids):
    """Write the counted requests of these keys (today's and yesterday's) to the database."""
    now = timezone.now()
    today = timezone.localdate(now)
    days = [today - timedelta(days=1), today]
    wanted = {counter_key(pk, day): (pk, day) for pk in token_ids for day in days}
    found = cache.get_many(list(wanted))
    used = set()
    for key, hits in found.items():
        if not hits:
            continue
        pk, day = wanted[key]
        with suppress(ValueError):  # expired meanwhile: count what was read
            cache.decr(key, hits)
        row, _ = KeyUsage.objects.get_or_create(token_id=pk, day=day)
        KeyUsage.objects.filter(pk=row.pk).update(requests=F("requests") + hits)
        used.add(pk)
    if used:
        from wagtail.models import APIToken

        APIToken.objects.filter(pk__in=used).update(last_used_at=now)
