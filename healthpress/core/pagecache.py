"""The whole-page cache for anonymous readers.

A published page is the same bytes for every anonymous reader, so the rendered response is kept
in its own cache (`CACHES["pages"]`: Redis in production, local memory otherwise) under its path.
Two layers read it:

- `PageCacheWSGI` wraps the WSGI application and answers a hit before Django builds a request or
  runs any middleware. It keeps the pages it served last in process memory (`LocalCopies`) and
  serves them again while the purge clock (`healthpress.core.purgeclock`) has not moved: a warm
  hit costs one clock read and a dictionary lookup; otherwise one shared-cache lookup.
- `PageCacheMiddleware` (outermost in MIDDLEWARE) stores cacheable responses and answers hits for
  the servers that do not go through the WSGI wrapper (ASGI, the test client).

Stale copies are removed by `purge_paths()` / `purge_all()`, which `healthpress.core.cache`
calls on every change that shows on a page. Only requests without a session cookie (not logged
in) and without a query string, or with only the parameters in PAGE_CACHE_QUERY_PARAMS, are
cached; anything else is rendered fresh.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qsl
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.utils.http import http_date, parse_etags

from .purgeclock import clock_for

CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/xml",
    "text/plain",
)


def page_cache():
    return caches["pages"]


def purge_clock():
    cache = page_cache()
    clock = getattr(cache, "purge_clock", None)
    if clock is None:
        clock = cache.purge_clock = clock_for(cache)
    return clock


def is_excluded(path):
    return path.startswith(tuple(settings.PAGE_CACHE_EXCLUDE))


def key_parts(path, query_string):
    """(version-key or None, key) for a request, or None when it must not be cached.

    The plain path is the hot case and needs one lookup. Allowed query variants (pagination,
    sort order) carry the path's version, so purging a path drops all its variants at once.
    """
    if is_excluded(path):
        return None
    if not query_string:
        return None, f"p:{path}"
    params = parse_qsl(query_string, keep_blank_values=True)
    if not params or any(name not in settings.PAGE_CACHE_QUERY_PARAMS for name, _ in params):
        return None
    canonical = "&".join(f"{k}={v}" for k, v in sorted(params))
    return f"v:{path}", f"q:{path}?{canonical}"


def lookup(path, query_string):
    parts = key_parts(path, query_string)
    if parts is None:
        return None
    version_key, key = parts
    cache = page_cache()
    if version_key:
        version = cache.get(version_key)
        if version is None:
            return None
        key = f"{key}@{version}"
    return cache.get(key)


def store(path, query_string, entry):
    parts = key_parts(path, query_string)
    if parts is None:
        return
    version_key, key = parts
    cache = page_cache()
    if version_key:
        cache.add(version_key, uuid4().hex, timeout=None)
        version = cache.get(version_key)
        key = f"{key}@{version}"
    entry["expires"] = time.time() + settings.PAGE_CACHE_SECONDS
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)


# Shared copies go first, then the clock moves (once per batch): see core/purgeclock.py.
def purge_paths(paths):
    if not paths:
        return  # nothing dropped, so no process need drop its copies
    cache = page_cache()
    for path in paths:
        cache.delete(f"p:{path}")
        cache.set(f"v:{path}", uuid4().hex, timeout=None)
    purge_clock().tick()


def purge_all():
    page_cache().clear()
    purge_clock().tick()


def anonymous(cookie_header):
    return settings.SESSION_COOKIE_NAME + "=" not in (cookie_header or "")


def cache_control():
    return f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}, must-revalidate"


def make_entry(response):
    body = response.content
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in {"set-cookie", "content-length", "etag", "cache-control", "vary"}
    ]
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    headers += [
        ("ETag", etag),
        ("Last-Modified", http_date(time.time())),
        ("Cache-Control", cache_control()),
    ]
    return {"status": response.status_code, "headers": headers, "body": body, "etag": etag}


def is_cacheable(request, response):
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if response.streaming or response.cookies or response.has_header("Vary"):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    return response.get("Content-Type", "").startswith(CACHEABLE_TYPES)


def not_modified(entry, if_none_match):
    return bool(if_none_match) and (
        entry["etag"] in parse_etags(if_none_match) or if_none_match.strip() == "*"
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        usable = (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and anonymous(request.headers.get("Cookie"))
            and key_parts(request.path, request.META.get("QUERY_STRING", "")) is not None
        )
        if usable:
            entry = lookup(request.path, request.META.get("QUERY_STRING", ""))
            if entry is not None:
                return self.from_entry(entry, request)
        response = self.get_response(request)
        if usable and is_cacheable(request, response):
            entry = make_entry(response)
            store(request.path, request.META.get("QUERY_STRING", ""), entry)
            for name, value in entry["headers"][-3:]:
                response[name] = value
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def from_entry(entry, request):
        from django.http import HttpResponse, HttpResponseNotModified

        if not_modified(entry, request.headers.get("If-None-Match")):
            response = HttpResponseNotModified()
            response["ETag"] = entry["etag"]
            response["Cache-Control"] = cache_control()
        else:
            response = HttpResponse(entry["body"], status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


class LocalCopies:
    """The pages this process served last, each filed under the purge-clock token it was read
    with. A copy is good while the clock shows that token and the shared entry has not expired;
    at most `size` copies are kept, the oldest dropped first."""

    def __init__(self, size):
        self.size = size
        self.copies = OrderedDict()
        # Servers with several threads per process put copies concurrently; reads need no lock.
        self.lock = threading.Lock()

    def get(self, key, token):
        copy = self.copies.get(key)
        if copy is None or copy[0] != token or copy[1].get("expires", 0) <= time.time():
            return None
        return copy[1]

    def put(self, key, token, entry):
        if self.size <= 0:
            return
        with self.lock:
            self.copies[key] = (token, entry)
            self.copies.move_to_end(key)
            while len(self.copies) > self.size:
                self.copies.popitem(last=False)


class PageCacheWSGI:
    """Answers cache hits before Django is involved; everything else goes to `app`."""

    def __init__(self, app):
        self.app = app
        self.local = LocalCopies(getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 0))

    def __call__(self, environ, start_response):
        if (
            settings.PAGE_CACHE_SECONDS > 0
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and anonymous(environ.get("HTTP_COOKIE"))
        ):
            try:
                entry = self.find(environ.get("PATH_INFO", "/"), environ.get("QUERY_STRING", ""))
            except Exception:  # a cache outage must not take the site down: render instead
                entry = None
            if entry is not None:
                return self.serve(entry, environ, start_response)
        return self.app(environ, start_response)

    def find(self, path, query_string):
        if self.local.size <= 0:  # local copies off: no clock to read (nor, on Redis, listen to)
            return lookup(path, query_string)
        # The token is read before the shared lookup: a purge in between leaves the copy filed
        # under the old token, so it is dropped at the next request.
        token = purge_clock().read()
        key = (path, query_string)
        if token is not None and (entry := self.local.get(key, token)) is not None:
            return entry
        entry = lookup(path, query_string)
        if entry is not None and token is not None:
            self.local.put(key, token, entry)
        return entry

    @staticmethod
    def serve(entry, environ, start_response):
        if not_modified(entry, environ.get("HTTP_IF_NONE_MATCH")):
            start_response(
                "304 Not Modified",
                [
                    ("ETag", entry["etag"]),
                    ("Cache-Control", cache_control()),
                    ("X-Page-Cache", "hit"),
                ],
            )
            return [b""]
        body = entry["body"]
        headers = [*entry["headers"], ("Content-Length", str(len(body))), ("X-Page-Cache", "hit")]
        start_response("200 OK", headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
