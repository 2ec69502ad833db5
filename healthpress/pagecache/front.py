"""The whole-page cache for anonymous readers: where requests meet it.

A published page is the same bytes for every anonymous reader, so the rendered response is kept
in the shared store (`store.py`) under its origin, path and canonical query (`keys.py`). Two
layers read it:

- `PageCacheWSGI` wraps the WSGI application and answers a hit before Django builds a request or
  runs any middleware. It keeps the pages it served last in process memory (`LocalCopies`) and
  serves them again while the purge clock (`clock.py`) has not moved: a warm hit costs one clock
  read and a dictionary lookup; otherwise one round trip to the shared store.
- `PageCacheMiddleware` (outermost in MIDDLEWARE) stores cacheable responses, renders each page
  at most once at a time per process (`SingleFlight`), and answers hits for the servers that do
  not go through the WSGI wrapper (ASGI, the test client).

Only GET/HEAD requests without a session cookie whose host Django accepts and whose query is
canonical (`keys.py`) use the cache; only 200 responses of cacheable types are stored. If the
store is unreachable (Redis down), pages are rendered and served without it, never a 500.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags

from . import keys, store
from .clock import purge_clock
from .local import LocalCopies, SingleFlight

logger = logging.getLogger(__name__)

CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/xml",
    "text/plain",
)


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


def find(key):
    """The current entry for `key`, or None; None too while the store is unreachable."""
    try:
        return store.find(key)
    except Exception:
        logger.warning("page cache unreachable: rendering instead", exc_info=True)
        return None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.flights = SingleFlight()

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        entry = find(key)
        if entry is not None:
            return self.from_entry(entry, request)
        with self.flights.join(key, settings.PAGE_CACHE_RENDER_WAIT_SECONDS) as leads:
            if not leads and (entry := find(key)) is not None:
                return self.from_entry(entry, request)
            return self.render(key, request)

    @staticmethod
    def key(request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if not anonymous(request.headers.get("Cookie")):
            return None
        return keys.request_key(request)

    def render(self, key, request):
        try:
            stamp = store.current_stamp(key)  # before rendering: see store.py
        except Exception:
            logger.warning("page cache unreachable: rendering instead", exc_info=True)
            return self.get_response(request)
        response = self.get_response(request)
        if is_cacheable(request, response):
            entry = make_entry(response)
            try:
                store.put(key, entry, stamp)
            except Exception:
                logger.warning("page cache unreachable: page not stored", exc_info=True)
                return response
            for name, value in entry["headers"][-3:]:
                response[name] = value
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def from_entry(entry, request):
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
            key = keys.environ_key(environ)
            entry = self.find(key) if key is not None else None
            if entry is not None:
                return self.serve(entry, environ, start_response)
        return self.app(environ, start_response)

    def find(self, key):
        if self.local.size <= 0:  # local copies off: no clock to read (nor, on Redis, listen to)
            return find(key)
        try:
            # Read before the shared lookup: a purge in between leaves the copy filed under the
            # old token, so it is dropped at the next request.
            token = purge_clock().read()
        except Exception:
            token = None
        if token is not None and (entry := self.local.get(key, token)) is not None:
            return entry
        entry = find(key)
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
