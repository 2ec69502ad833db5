"""The blocked words and domains, as the spam check reads them on every POST: cached briefly,
and forgotten at once when a moderator saves or deletes a term (connected in receivers.py)."""

from django.core.cache import cache

from .models import BlockedTerm

CACHE_KEY = "comments:blocklist"


def blocked_terms():
    terms = cache.get(CACHE_KEY)
    if terms is None:
        terms = list(BlockedTerm.objects.values_list("term", flat=True))
        cache.set(CACHE_KEY, terms, timeout=60)
    return terms


def forget(**kwargs):
    cache.delete(CACHE_KEY)
