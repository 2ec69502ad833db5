"""The shared store: stamps that make a purge stick, bounds on what it holds, and Redis manners."""

import os
import time

import pytest
from django.core.cache import caches

from healthpress.launch.dbcheck import reachable
from healthpress.pagecache import store
from healthpress.pagecache.filestore import BoundedFileCache
from healthpress.pagecache.keys import PageKey
from healthpress.pagecache.purge import purge_all_now, purge_paths_now
from tests.pagecache.conftest import REDIS

KEY = PageKey("http://testserver", "/topic/why-do-knees-click/", "")


def entry(body):
    return {"status": 200, "headers": [("Content-Type", "text/html")], "body": body, "etag": '"x"'}


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS)


def test_a_render_that_began_before_a_purge_is_never_served(shared_store):
    stamp = store.current_stamp(KEY)  # a reader starts rendering, from the old rows
    purge_paths_now([KEY.path])  # the change commits and purges
    store.put(KEY, entry(b"old"), stamp)  # the slow reader stores what it rendered
    assert store.find(KEY) is None
    store.put(KEY, entry(b"new"), store.current_stamp(KEY))
    assert store.find(KEY)["body"] == b"new"


def test_purging_everything_drops_every_page_under_every_host(shared_store):
    other = PageKey("https://answers.example.org", "/", "cpage=2")
    for key in (KEY, other):
        store.put(key, entry(b"page"), store.current_stamp(key))
    purge_all_now()
    assert store.find(KEY) is None and store.find(other) is None


@pytest.mark.skipif(not reachable(REDIS), reason=f"needs Redis at {REDIS}")
def test_on_redis_purging_everything_leaves_other_keys_and_every_key_expires(shared_store):
    if shared_store != "redis":
        pytest.skip("Redis only")
    client = redis_client()
    client.set("another-apps-key", "kept")
    for n in range(5):
        key = PageKey("http://testserver", f"/page-{n}/", "")
        store.put(key, entry(b"page"), store.current_stamp(key))
    purge_all_now()
    purge_paths_now(["/page-1/"])
    assert client.get("another-apps-key") == b"kept"
    ours = [name for name in client.scan_iter("hp:*")]
    assert len(ours) >= 7  # five entries, their versions, the generation
    assert all(0 < client.ttl(name) <= 3600 for name in ours)


def test_the_file_store_is_bounded_in_bytes(tmp_path):
    cache = BoundedFileCache(str(tmp_path / "pages"), {"OPTIONS": {"MAX_BYTES": 200_000}})
    pages = [os.urandom(20_000) for _ in range(40)]  # stored compressed: random bytes stay big
    for n, body in enumerate(pages):
        cache.set(f"page-{n}", body, timeout=3600)
    assert cache.size() <= 200_000
    assert cache.get("page-39") == pages[39]  # the newest stay
    # Oldest first, as far as the file system's clock tells them apart.
    assert sum(cache.get(f"page-{n}") is None for n in range(20)) >= 10


def test_an_expired_stamp_key_acts_as_a_purge(shared_store, settings):
    settings.PAGE_CACHE_SECONDS = 1
    store.put(KEY, entry(b"page"), store.current_stamp(KEY))
    assert store.find(KEY) is not None
    time.sleep(1.2)
    assert store.find(KEY) is None


def test_the_store_reports_whether_it_answers(settings):
    assert store.reachable()
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        },
    }
    assert not store.reachable()
    caches["pages"].close()
