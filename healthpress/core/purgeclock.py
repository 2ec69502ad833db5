"""The purge clock: a token that every purge of the page cache replaces.

Each server process keeps the pages it served most recently in its own memory
(`pagecache.LocalCopies`) and serves them again only while the clock still shows the token it
read when it took the copy. Reading the clock is the one thing a warm cache hit does besides a
dictionary lookup, so it is made as cheap as the shared cache allows:

- the file-based page cache (one machine, no Redis): 16 bytes in a memory-mapped file beside the
  cache folder, read without a system call;
- Redis (several machines): a token in process memory, kept current by a listener thread on a
  Redis channel; a purge waits until every process has confirmed the new token;
- anything else (local memory in tests): the shared cache's own get/set.

A purge first drops the shared copies and then moves the clock, so a process that sees the new
token can only fetch fresh pages; one that read the old token may have fetched a stale page, but
it filed it under the old token and drops it at its next request.
"""

import logging
import mmap
import os
import secrets
import threading
import time
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
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
    """The clock for app processes on one or many machines sharing Redis.

    Reading a key on every hit would cost a round trip, so each process keeps the token in
    memory and a listener thread subscribes to the clock's channel. A tick publishes the new
    token and waits until every listener has taken it (each pushes an acknowledgement), so
    when a purge returns no process serves the old copies any more. A listener that is not
    subscribed (starting, or Redis gone) makes read() return None: no local copies, the shared
    cache is asked instead. On each (re)subscription the process starts from a token of its
    own, as it may have missed ticks while it was away.
    """

    ACK_SECONDS = 2.0

    def __init__(self, cache):
        self.cache = cache
        # Channels are global to a Redis server: the database in the name keeps two sites apart.
        self.channel = f"{cache.make_and_validate_key(KEY)}@{','.join(cache._servers)}"
        self._client = None
        self._pid = None
        self._token = None
        self._listener = None
        self._lock = threading.Lock()

    def _redis(self):
        if self._client is None or self._pid != os.getpid():
            self._client = self.cache._cache.get_client(write=True)
            self._pid = os.getpid()
            self._token = None
            self._listener = None
        return self._client

    def read(self):
        client = self._redis()
        if self._listener is None:
            with self._lock:
                if self._listener is None:
                    self._listener = threading.Thread(
                        target=self._listen, args=(client,), name="purge-clock", daemon=True
                    )
                    self._listener.start()
        return self._token

    def _listen(self, client):
        while True:
            try:
                pubsub = client.pubsub()
                pubsub.subscribe(self.channel)
                for message in pubsub.listen():
                    if message["type"] == "subscribe":
                        self._token = secrets.token_hex(TOKEN_BYTES)
                    elif message["type"] == "message":
                        token, ack_list = message["data"].decode().split(" ", 1)
                        self._token = token
                        client.rpush(ack_list, b"1")
                        client.expire(ack_list, 60)
            except Exception:  # Redis went away: no local copies until subscribed again
                self._token = None
                logger.warning("purge clock: lost Redis, local page copies off", exc_info=True)
                time.sleep(1)

    def tick(self):
        client = self._redis()
        token = secrets.token_hex(TOKEN_BYTES)
        ack_list = f"{self.channel}:ack:{token}"
        listeners = client.publish(self.channel, f"{token} {ack_list}")
        deadline = time.monotonic() + self.ACK_SECONDS
        acks = 0
        while acks < listeners and (left := deadline - time.monotonic()) > 0:
            if client.blpop([ack_list], timeout=max(left, 0.01)) is None:
                break
            acks += 1
        client.delete(ack_list)
        if acks < listeners:
            logger.warning("purge clock: %d of %d app processes did not confirm", acks, listeners)


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
