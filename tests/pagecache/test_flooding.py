"""Junk parameter values cannot fill the page cache: only canonical URLs are stored."""

import random
import string

import pytest
from django.core.cache import caches

REDIS = "redis://127.0.0.1:6379/10"
pytestmark = pytest.mark.django_db


def stored_bytes(kind):
    cache = caches["pages"]
    if kind == "files":
        return cache.size()
    import redis

    client = redis.Redis.from_url(REDIS)
    return sum(client.memory_usage(name) or 0 for name in client.scan_iter("hp:*"))


def junk(rng):
    alphabet = string.ascii_letters + string.digits + "%&=<>\"' -_."
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))


def test_500_junk_requests_grow_the_store_by_less_than_1_mb(client, make_article, shared_store):
    page = make_article()
    topic_url = page.get_parent().url
    for url in (page.url, topic_url, "/robots.txt", "/sitemap.xml", "/feeds/rss/"):
        client.get(url)
    before = stored_bytes(shared_store)
    rng = random.Random(13)
    statuses = set()
    others = ["/robots.txt", "/sitemap.xml", "/feeds/rss/", "/feeds/atom/", "/authors/"]
    for n in range(500):
        name = rng.choice(["cpage", "corder", "reply", "comment", "page"])
        value = rng.choice([junk(rng), str(rng.randint(-5, 10**12)), f"0{n}", ""])
        url = rng.choice([topic_url if name == "page" else page.url, *others])
        response = client.get(url, {name: value, "utm_source": junk(rng)})
        statuses.add(response.status_code)
    assert 500 not in statuses
    assert stored_bytes(shared_store) - before < 1024 * 1024
