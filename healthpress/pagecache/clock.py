"""The purge clock: a token that every purge of the page cache replaces.

Each server process keeps the pages it served most recently in its own memory
(`pagecache.local.LocalCopies`) and serves them again only while the clock still shows the token it
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

import hashlib
import logging
import mmap
import os
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

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

    The listener pings Redis every PING_SECONDS and gives the connection up when nothing has
    come back for DEAD_SECONDS: a half-open connection (Redis restarted behind a firewall, a
    network cut) would otherwise leave the process on its old token, serving old copies.
    The channel's name is a hash of the server, database and key prefix: never the URL, which
    may carry a password.
    """

    ACK_SECONDS = 2.0
    PING_SECONDS = 1.0
    DEAD_SECONDS = 3.0

    def __init__(self, location, key_prefix=""):
        self.location = location
        self.channel = "purge-clock:" + channel_digest(location, key_prefix)
        self._client = None
        self._pid = None
        self._token = None
        self._listener = None
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def close(self):
        """Stop listening (a clock replaced by another, in tests)."""
        self._closed.set()
        self._token = None

    def _redis(self):
        if self._client is None or self._pid != os.getpid():
            import redis

            self._client = redis.Redis.from_url(
                self.location,
                socket_connect_timeout=1,
                socket_timeout=self.DEAD_SECONDS,
                socket_keepalive=True,
            )
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
        while not self._closed.is_set():
            pubsub = client.pubsub()
            try:
                pubsub.subscribe(self.channel)
                self._follow(client, pubsub)
            except Exception:  # Redis went away: no local copies until subscribed again
                self._token = None
                if not self._closed.is_set():
                    logger.warning("purge clock: lost Redis, local page copies off", exc_info=True)
                    self._closed.wait(1)
            finally:
                pubsub.close()

    def _follow(self, client, pubsub):
        heard = pinged = time.monotonic()
        while not self._closed.is_set():
            message = pubsub.get_message(timeout=self.PING_SECONDS)
            now = time.monotonic()
            if message is not None:
                heard = now
                if message["type"] == "subscribe":
                    self._token = secrets.token_hex(TOKEN_BYTES)
                elif message["type"] == "message":
                    token, ack_list = message["data"].decode().split(" ", 1)
                    self._token = token
                    client.rpush(ack_list, b"1")
                    client.expire(ack_list, 60)
            if now - heard > self.DEAD_SECONDS:
                raise ConnectionError(f"no answer from Redis for {self.DEAD_SECONDS} s")
            if now - pinged >= self.PING_SECONDS:
                pubsub.ping()
                pinged = now

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


def channel_digest(location, key_prefix):
    """Names the Redis server and database, without the password a URL may carry."""
    parts = urlsplit(location)
    server = f"{parts.scheme}://{parts.hostname}:{parts.port}{parts.path}?{key_prefix}"
    return hashlib.blake2b(server.encode(), digest_size=12).hexdigest()


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


def clock_for(alias="pages"):
    """The clock that suits the backend of `CACHES[alias]`."""
    config = settings.CACHES[alias]
    backend = import_string(config["BACKEND"])
    if issubclass(backend, FileBasedCache):
        # Beside the folder, not in it: clearing the cache deletes every file inside.
        return FileClock(str(Path(config["LOCATION"])) + ".clock")
    if issubclass(backend, RedisCache):
        location = config["LOCATION"]
        location = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
        return RedisClock(location, config.get("KEY_PREFIX", ""))
    return CacheClock(caches[alias])


_clock = None


def purge_clock():
    """This process's clock for the page cache."""
    global _clock
    if _clock is None:
        _clock = clock_for("pages")
    return _clock


def _forget_clock(setting, **kwargs):
    global _clock
    if setting == "CACHES" and _clock is not None:
        getattr(_clock, "close", lambda: None)()
        _clock = None


setting_changed.connect(_forget_clock, dispatch_uid="pagecache-clock")
