"""Shared by the page-cache tests: calling a WSGI application as a server would."""

from io import BytesIO
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import caches

from healthpress.launch.dbcheck import reachable
from healthpress.pagecache.front import PageCacheWSGI


def call_wsgi(app, path, **environ_extra):
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "testserver",  # the test client's host, under which its pages are stored
        "wsgi.input": BytesIO(),
    }
    environ.update(environ_extra)
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, headers):
        captured["status"], captured["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], body


@pytest.fixture
def django_wsgi():
    """Django's own WSGI application behind the page cache's front, as production serves it;
    like the test client, it leaves the test's database connection open between requests."""
    from django.core.signals import request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    django = get_wsgi_application()

    def keeping_the_test_connection(environ, start_response):
        request_started.disconnect(close_old_connections)
        try:
            return django(environ, start_response)
        finally:
            request_started.connect(close_old_connections)

    return PageCacheWSGI(keeping_the_test_connection)


REDIS = "redis://127.0.0.1:6379/10"


@pytest.fixture(params=["files", "redis"])
def shared_store(request, settings, tmp_path):
    """The page cache's store as production has it: files on one machine, or Redis."""
    if request.param == "files":
        backend = {
            "BACKEND": "healthpress.pagecache.filestore.BoundedFileCache",
            "LOCATION": str(tmp_path / "pagecache"),
            "OPTIONS": {"MAX_BYTES": 16 * 1024 * 1024},
        }
    else:
        if not reachable(REDIS):
            pytest.skip(f"needs Redis at {REDIS}")
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "hp",  # as in settings: the clock's channel must match other processes
        }
    settings.CACHES = {**settings.CACHES, "pages": backend}
    settings.PAGE_CACHE_SECONDS = 3600
    caches["pages"].clear()
    yield request.param
    caches["pages"].clear()
