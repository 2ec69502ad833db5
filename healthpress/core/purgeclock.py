"""The purge clock: a token that every purge of the page cache replaces.

Each server process keeps the pages it served most recently in its own memory
(`pagecache.LocalCopies`) and serves them again only while the clock still shows the token it
read when it took the copy. Reading the clock is the one thing a warm cache hit does besides a
dictionary lookup, so it is made as cheap as the shared cache allows:

- the file-based page cache (one machine, no Redis): 16 bytes in a memory-mapped file beside the
  cache folder, read without a system call;
- Redis: one GET of a short key on a client kept for the process (Django's cache wrapper builds
  a new client per call, which costs more than the round trip);
- anything else (local memory in tests): the shared cache's own get/set.

A purge first drops the shared copies and then moves the clock, so a process that sees the new
token can only fetch fresh pages; one that read the old token may have fetched a stale page, but
it filed it under the old token and drops it at its next request.
"""

import mmap
import os
import secrets
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

KEY = "purge-clock"
TOKEN_BYTES = 16


class FileClock:
    def __init__(self, path):
        self.path = Path(path)
        self._map = None
        self._pid = None

    def _mapped(self):
        # After a fork each process maps the file for itself; a mapping is never shared.
        if self._map is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.fstat(fd).st_size < TOKEN_BYTES:
                    os.pwrite(fd, secrets.token_bytes(TOKEN_BYTES), 0)
                self._map = mmap.mmap(fd, TOKEN_BYTES)
            finally:
                os.close(fd)
            self._pid = os.getpid()
        return self._map

    def read(self):
        return self._mapped()[:TOKEN_BYTES]

    def tick(self):
        self._mapped()[:TOKEN_BYTES] = secrets.token_bytes(TOKEN_BYTES)


class RedisClock:
    def __init__(self, cache):
        self.cache = cache
        self.key = cache.make_and_validate_key(KEY)
        self._client = None
        self._pid = None

    def _redis(self):
        if self._client is None or self._pid != os.getpid():
            self._client = self.cache._cache.get_client(write=True)
            self._pid = os.getpid()
        return self._client

    def read(self):
        # An emptied cache (FLUSHDB, eviction) has lost the clock: start a new one, which no
        # copy was filed under.
        client = self._redis()
        token = client.get(self.key)
        if token is None:
            client.set(self.key, secrets.token_hex(TOKEN_BYTES), nx=True)
            token = client.get(self.key)
        return token

    def tick(self):
        self._redis().set(self.key, secrets.token_hex(TOKEN_BYTES))


class CacheClock:
    def __init__(self, cache):
        self.cache = cache

    def read(self):
        token = self.cache.get(KEY)
        if token is None:
            self.cache.add(KEY, secrets.token_hex(TOKEN_BYTES), timeout=None)
            token = self.cache.get(KEY)
        return token

    def tick(self):
        self.cache.set(KEY, secrets.token_hex(TOKEN_BYTES), timeout=None)


def clock_for(cache):
    if isinstance(cache, FileBasedCache):
        # Beside the folder, not in it: clearing the cache deletes every file inside.
        return FileClock(str(Path(cache._dir)) + ".clock")
    if isinstance(cache, RedisCache):
        return RedisClock(cache)
    return CacheClock(cache)
