"""After a purge, concurrent readers of one page cause one render per process, not one each."""

import threading
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from healthpress.pagecache.front import PageCacheMiddleware
from healthpress.pagecache.purge import purge_all_now

PATH = "/topic/why-do-knees-click/"


@pytest.fixture(autouse=True)
def cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


class SlowPage:
    """A view that takes `seconds` to render and counts its renders."""

    def __init__(self, seconds, cacheable=True):
        self.seconds, self.cacheable, self.renders = seconds, cacheable, 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
        time.sleep(self.seconds)
        response = HttpResponse(b"<p>the page</p>", content_type="text/html")
        if not self.cacheable:
            response["Cache-Control"] = "no-store"
        return response


def read_concurrently(middleware, readers):
    start = threading.Barrier(readers)
    responses = []

    def read():
        start.wait()
        responses.append(middleware(RequestFactory().get(PATH)))

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_twenty_readers_after_a_purge_cause_one_render():
    view = SlowPage(seconds=0.3)
    middleware = PageCacheMiddleware(view)
    middleware(RequestFactory().get(PATH))
    purge_all_now()
    responses = read_concurrently(middleware, 20)
    assert view.renders == 2  # the first fill, then one after the purge
    assert len(responses) == 20
    assert all(r.status_code == 200 and r.content == b"<p>the page</p>" for r in responses)
    assert sorted(r["X-Page-Cache"] for r in responses) == ["hit"] * 19 + ["miss"]


def test_readers_wait_a_bounded_time_then_render_themselves(settings):
    settings.PAGE_CACHE_RENDER_WAIT_SECONDS = 0.1
    view = SlowPage(seconds=1.0)
    started = time.monotonic()
    responses = read_concurrently(PageCacheMiddleware(view), 5)
    assert time.monotonic() - started < 2.5  # nobody queued behind four renders of 1 s
    assert view.renders == 5 and all(r.status_code == 200 for r in responses)


def test_an_uncacheable_answer_is_rendered_for_every_waiting_reader():
    view = SlowPage(seconds=0.2, cacheable=False)
    responses = read_concurrently(PageCacheMiddleware(view), 4)
    assert view.renders == 4
    assert all("X-Page-Cache" not in r for r in responses)
