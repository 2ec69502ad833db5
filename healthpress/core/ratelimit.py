"""Per-client rate limits on Django's cache (Redis in production, local memory otherwise).

Fixed windows counted with cache.add + cache.incr, which are atomic on Redis and on the
local-memory cache, so concurrent requests cannot slip past a limit.
"""

import time

from django.core.cache import cache


def over_limit(scope, client, limits):
    """Count one hit for `client` in `scope`; True when any (count, seconds) limit is exceeded.

    Every window is counted even when an earlier one is already over, so a client that keeps
    hammering stays limited for the whole of the longest window.
    """
    now = int(time.time())
    exceeded = False
    for count, seconds in limits:
        window = now // seconds
        key = f"ratelimit:{scope}:{seconds}:{window}:{client}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            hits = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds + 1)
            hits = 1
        exceeded = exceeded or hits > count
    return exceeded


def retry_after(limits):
    """Seconds a limited client should wait, for the Retry-After header: the shortest window."""
    return min(seconds for _, seconds in limits)
