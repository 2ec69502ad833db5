"""Redis caches shared by pytest-xdist's worker processes without stepping on each other.

healthpress/settings/test.py gives each worker its own key prefix on the same Redis databases and
this backend. Django's RedisCache.clear() empties the whole database (FLUSHDB): tests that clear
the cache before and after would then wipe another worker's rate-limit counters or cached pages
mid-test. Here clear() deletes only the keys under this cache's own prefix.
"""

from django.core.cache.backends.redis import RedisCache


class WorkerRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(write=True)
        names = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(names), 1000):
            client.delete(*names[start : start + 1000])
        return bool(names)
