"""Each server process keeps recent pages in its own memory; the purge clock makes every purge,
whichever process makes it, reach those copies before they are served again."""

import os
import subprocess
import sys
import time

import pytest

from healthpress.launch.dbcheck import reachable
from healthpress.pagecache import front, local, store
from healthpress.pagecache.clock import CacheClock, FileClock, RedisClock, clock_for, purge_clock
from healthpress.pagecache.front import PageCacheWSGI
from healthpress.pagecache.keys import PageKey
from healthpress.pagecache.local import LocalCopies
from healthpress.pagecache.purge import purge_all_now, purge_paths_now
from tests.pagecache.conftest import REDIS, call_wsgi

ARTICLE = "/topic/why-do-knees-click/"
KEY = PageKey("http://testserver", ARTICLE, "")


def never_called(environ, start_response):
    raise AssertionError("a cached page reached Django")


def rendered(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html")])
    return [b"rendered by Django"]


def entry(body):
    return {"status": 200, "headers": [("Content-Type", "text/html")], "body": body, "etag": '"x"'}


def stored(body):
    """A page rendered and stored as the middleware stores it."""
    store.put(KEY, entry(body), store.current_stamp(KEY))


@pytest.fixture
def shared_page_cache(shared_store, settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 100
    wait_until_live(purge_clock())
    return shared_store


def wait_until_live(clock, seconds=5):
    """The Redis clock's listener subscribes in the background; until then no local copies."""
    deadline = time.monotonic() + seconds
    while clock.read() is None:
        assert time.monotonic() < deadline, "the purge clock never came up"
        time.sleep(0.01)
    return clock.read()


def body_of(app, path=ARTICLE):
    return call_wsgi(app, path)[2]


def test_a_purge_through_one_process_reaches_the_local_copy_of_another(shared_page_cache):
    process_a, process_b = PageCacheWSGI(never_called), PageCacheWSGI(never_called)
    stored(b"Comments (0)")
    assert body_of(process_a) == body_of(process_b) == b"Comments (0)"
    assert body_of(process_b) == b"Comments (0)"  # now from B's own memory

    purge_paths_now([ARTICLE])  # e.g. a comment approved through A
    stored(b"Comments (1)")
    assert body_of(process_b) == b"Comments (1)"
    assert body_of(process_a) == b"Comments (1)"


def test_clearing_the_cache_reaches_every_local_copy(shared_page_cache):
    app = PageCacheWSGI(rendered)
    stored(b"old navigation")
    assert body_of(app) == b"old navigation"
    purge_all_now()
    assert body_of(app) == b"rendered by Django"


def test_a_warm_hit_does_not_read_the_shared_cache(shared_page_cache, monkeypatch):
    app = PageCacheWSGI(never_called)
    stored(b"page")
    assert body_of(app) == b"page"
    monkeypatch.setattr(front, "find", lambda *args: pytest.fail("shared cache read"))
    assert body_of(app) == b"page"


def test_an_expired_page_is_not_served_from_memory(shared_page_cache, monkeypatch):
    app = PageCacheWSGI(rendered)
    stored(b"page")
    assert body_of(app) == b"page"
    real_time = time.time
    monkeypatch.setattr(local.time, "time", lambda: real_time() + 3601)
    monkeypatch.setattr(front, "find", lambda *args: None)  # the shared copy expired too
    assert body_of(app) == b"rendered by Django"


def test_with_local_copies_off_a_hit_reads_neither_clock_nor_memory(
    shared_page_cache, settings, monkeypatch
):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 0
    app = PageCacheWSGI(never_called)
    stored(b"page")
    monkeypatch.setattr(front, "purge_clock", lambda: pytest.fail("clock read"))
    assert body_of(app) == body_of(app) == b"page"


def test_purging_no_paths_leaves_every_local_copy_in_place(shared_page_cache, monkeypatch):
    app = PageCacheWSGI(never_called)
    stored(b"page")
    assert body_of(app) == b"page"
    monkeypatch.setattr(front, "find", lambda *args: pytest.fail("shared cache read"))
    purge_paths_now([])
    assert body_of(app) == b"page"


def test_local_copies_are_bounded_oldest_first():
    copies = LocalCopies(size=2)
    fresh = {"expires": time.time() + 60}
    for key in ("a", "b", "c"):
        copies.put(key, "t", fresh)
    assert copies.get("a", "t") is None
    assert copies.get("b", "t") is fresh and copies.get("c", "t") is fresh
    assert copies.get("c", "other token") is None


def test_zero_local_entries_turns_local_copies_off():
    copies = LocalCopies(size=0)
    copies.put("a", "t", {"expires": time.time() + 60})
    assert copies.get("a", "t") is None


def test_the_file_clock_moves_for_a_tick_made_by_another_process(tmp_path):
    clock = FileClock(tmp_path / "pagecache.clock")
    before = clock.read()
    assert clock.read() == before  # stable while nobody purges
    tick = (
        "import sys; from healthpress.pagecache.clock import FileClock; "
        "FileClock(sys.argv[1]).tick()"
    )
    subprocess.run([sys.executable, "-c", tick, str(tmp_path / "pagecache.clock")], check=True)
    assert clock.read() != before


def test_each_backend_gets_its_own_kind_of_clock(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "files": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pagecache"),
        },
        "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS},
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    file_clock = clock_for("files")
    assert isinstance(file_clock, FileClock)
    assert file_clock.path == tmp_path / "pagecache.clock"  # outside the folder clear() empties
    assert isinstance(clock_for("redis"), RedisClock)
    memory_clock = clock_for("memory")
    assert isinstance(memory_clock, CacheClock)
    memory_clock.tick()
    token = memory_clock.read()
    memory_clock.tick()
    assert memory_clock.read() != token


TICK_FROM_ANOTHER_PROCESS = """
import sys
import django
django.setup()
from django.core.cache import caches
from healthpress.pagecache.clock import clock_for
clock_for("pages").tick()
"""


@pytest.mark.skipif(not reachable(REDIS), reason=f"needs Redis at {REDIS}")
def test_a_redis_tick_returns_only_once_every_listening_process_has_the_new_token(
    shared_page_cache,
):
    if shared_page_cache != "redis":
        pytest.skip("the Redis clock only")
    clock = purge_clock()
    before = wait_until_live(clock)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthpress.settings.test",
        "REDIS_URL": REDIS.rsplit("/", 1)[0] + "/9",  # its page cache: the next database, 10
    }
    subprocess.run([sys.executable, "-c", TICK_FROM_ANOTHER_PROCESS], env=env, check=True)
    assert clock.read() not in (None, before)


@pytest.mark.skipif(not reachable(REDIS), reason=f"needs Redis at {REDIS}")
def test_a_listener_that_loses_redis_never_serves_its_old_copies(shared_page_cache):
    if shared_page_cache != "redis":
        pytest.skip("the Redis clock only")
    import redis

    clock = purge_clock()
    before = wait_until_live(clock)
    redis.Redis.from_url(REDIS).client_kill_filter(_type="pubsub")
    deadline = time.monotonic() + 1
    while clock.read() == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert clock.read() != before  # None while away, then a token of its own
    assert wait_until_live(clock) != before
