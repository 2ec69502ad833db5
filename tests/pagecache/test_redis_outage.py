"""The page cache's Redis gone, or silently half-open: pages are still served, never a 500, and
no process keeps serving its old copies."""

import socket
import threading
import time

import pytest
from django.core.cache import caches

from healthpress.launch.dbcheck import reachable
from healthpress.pagecache.clock import RedisClock
from tests.core.live_site import free_port
from tests.pagecache.conftest import call_wsgi

REDIS = "redis://127.0.0.1:6379/10"


@pytest.fixture
def page_cache_redis_down(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_LOCAL_ENTRIES = 100
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/1",  # nothing listens there
            "KEY_PREFIX": "hp",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    yield
    caches["pages"].close()


@pytest.mark.django_db
def test_with_the_page_cache_down_pages_are_rendered_and_healthz_says_degraded(
    client, make_article, page_cache_redis_down, django_wsgi
):
    page = make_article()
    for _ in range(2):
        response = client.get(page.url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    status, headers, body = call_wsgi(django_wsgi, page.url)
    assert status == "200 OK" and page.title.encode() in body
    health = client.get("/healthz")
    assert health.status_code == 200  # the site serves: no reason to take it out of rotation
    assert "page cache: degraded" in health.content.decode()


@pytest.mark.django_db
def test_healthz_says_the_page_cache_is_ok_when_it_answers(client, settings):
    assert "page cache: ok" in client.get("/healthz").content.decode()


class FreezableRelay:
    """Forwards a loopback port to Redis; `freeze()` stops forwarding without closing anything,
    as a half-open connection looks to the client."""

    def __init__(self, target_port=6379):
        self.port, self.target = free_port(), ("127.0.0.1", target_port)
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.running = True
        self.sockets = []
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                while self.frozen.is_set() and self.running:
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass

    def freeze(self):
        self.frozen.set()

    def thaw(self):
        self.frozen.clear()

    def close(self):
        self.running = False
        self.frozen.clear()
        self.listener.close()
        for sock in self.sockets:
            sock.close()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not reachable(REDIS), reason=f"needs Redis at {REDIS}")
def test_a_half_open_listener_gives_up_its_token_and_comes_back_with_a_new_one():
    relay = FreezableRelay()
    clock = RedisClock(f"redis://127.0.0.1:{relay.port}/10", "hp")
    try:
        assert wait_for(lambda: clock.read() is not None, 5)
        before = clock.read()
        relay.freeze()  # nothing arrives any more, and no connection is closed
        assert wait_for(lambda: clock.read() is None, RedisClock.DEAD_SECONDS + 3)
        relay.thaw()
        assert wait_for(lambda: clock.read() is not None, 10)
        assert clock.read() != before  # it may have missed ticks: never the old token
    finally:
        clock.close()
        relay.close()


def test_the_clock_channel_does_not_carry_the_redis_url():
    clock = RedisClock("redis://:s3cret-password@redis.internal:6380/3", "hp")
    assert "s3cret" not in clock.channel and "redis.internal" not in clock.channel
    other_db = RedisClock("redis://:s3cret-password@redis.internal:6380/4", "hp")
    assert other_db.channel != clock.channel
