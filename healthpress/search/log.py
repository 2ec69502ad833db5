"""Writing the search log without a database write on every search, and keeping it briefly.

Each search used to INSERT its log row inside the request: on SQLite that takes the one write
lock comments and publishing need, so a burst of searches queued everyone else's writes. Rows
now wait in the process's memory and go in with one bulk INSERT once SEARCH_LOG_BATCH_SIZE have
gathered or SEARCH_LOG_FLUSH_SECONDS have passed since the last write, whichever comes first. A
process that is killed loses at most one batch of counts, never anything a reader wrote for us.

Rows are kept SEARCH_LOG_DAYS days (`manage.py prune_search_log`, run daily from cron).
"""

import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import SearchLog

_lock = threading.Lock()
_waiting = []
_last_write = time.monotonic()


def log_search(query, result_count, took_ms):
    row = SearchLog(
        query=query, result_count=result_count, took_ms=took_ms, searched_at=timezone.now()
    )
    with _lock:
        _waiting.append(row)
        due = (
            len(_waiting) >= settings.SEARCH_LOG_BATCH_SIZE
            or time.monotonic() - _last_write >= settings.SEARCH_LOG_FLUSH_SECONDS
        )
        batch = _take() if due else []
    if batch:
        SearchLog.objects.bulk_create(batch)


def flush():
    """Write whatever is waiting (tests, the prune command, a process shutting down)."""
    with _lock:
        batch = _take()
    if batch:
        SearchLog.objects.bulk_create(batch)
    return len(batch)


def _take():
    global _last_write
    batch, _waiting[:] = list(_waiting), []
    _last_write = time.monotonic()
    return batch


def prune(days=None):
    """Delete log rows older than `days` (SEARCH_LOG_DAYS); returns how many went."""
    days = settings.SEARCH_LOG_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = SearchLog.objects.filter(searched_at__lt=cutoff).delete()
    return deleted
