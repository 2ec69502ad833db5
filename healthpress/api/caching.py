"""HTTP caching of the API's answers, for partners and for the server.

Partners: every answer has an `ETag` (a hash of its bytes) and a `Last-Modified`, and a request
with a matching `If-None-Match` (or, without one, an `If-Modified-Since` not older) gets 304 and
no body. `Cache-Control` lets their HTTP cache reuse an answer for API_BROWSER_SECONDS and then
revalidate; `Vary: X-API-Key` keeps a shared cache in front of them from handing one partner's
copy to a request without a key.

Server: while the page cache is on (PAGE_CACHE_SECONDS), each answer is kept in the page cache's
shared store (pagecache/store.py) under its path and query, filed with the same stamps as a
page: an article's publish, unpublish or deletion purges its paths after commit
(api/purge_rules.py), and anything that purges the whole page cache purges these too. So a
revalidation costs a key check and one store lookup, and an unchanged article is built once.
Answers that depend on today's date or on a reader's words (search) are never kept (`keep=False`).

The page cache's own front never answers /api/ (PAGE_CACHE_EXCLUDE): a key is checked on every
request before this module runs. The entries are filed under an origin of their own ("api|...")
besides, so a page-cache key can never name one.
"""

import hashlib
import json
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from healthpress.pagecache import store
from healthpress.pagecache.keys import PageKey

from .auth import KEY_HEADER

logger = logging.getLogger(__name__)
JSON_TYPE = "application/json"


def cache_key(request):
    """Filed under the request's origin (the Wagtail Site, and so every address in the answer,
    follows from it), path and sorted query."""
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    return PageKey(f"api|{request.scheme}://{request.get_host()}", request.path, query)


def to_json(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def make_entry(data):
    body = to_json(data)
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    return {"body": body, "etag": etag, "modified": int(time.time())}


def answer(request, build, *, keep=True):
    """The JSON answer `build()` makes, kept and reused while nothing it shows has changed
    (`keep`), with the validators and the 304 partners rely on."""
    key = cache_key(request) if keep and settings.PAGE_CACHE_SECONDS > 0 else None
    if key is None:
        return respond(request, make_entry(build()), keep, "off")
    try:
        entry = store.find(key)
    except Exception:
        logger.warning("page cache unreachable: API answer built instead", exc_info=True)
        return respond(request, make_entry(build()), keep, "off")
    if entry is not None:
        return respond(request, entry, keep, "hit")
    try:
        stamp = store.current_stamp(key)  # before building: a purge meanwhile wins (store.py)
    except Exception:
        stamp = None
    entry = make_entry(build())
    if stamp is not None:
        try:
            store.put(key, dict(entry), stamp)
        except Exception:
            logger.warning("page cache unreachable: API answer not kept", exc_info=True)
    return respond(request, entry, keep, "miss")


def cache_control(keep):
    if not keep:
        return "no-cache"
    return f"public, max-age={settings.API_BROWSER_SECONDS}, must-revalidate"


def not_modified(request, entry, kept):
    """RFC 9110: If-None-Match decides when sent; else If-Modified-Since, for kept answers only
    (an answer built per request has no modification time worth comparing)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        return if_none_match.strip() == "*" or entry["etag"] in parse_etags(if_none_match)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return kept and since is not None and entry["modified"] <= since


def respond(request, entry, keep, state):
    kept = state in ("hit", "miss")
    if not_modified(request, entry, kept):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry["body"], content_type=JSON_TYPE)
    response["ETag"] = entry["etag"]
    if kept:  # the time it was built: after the last change it shows (a change purges it)
        response["Last-Modified"] = http_date(entry["modified"])
    response["Cache-Control"] = cache_control(keep)
    response["X-API-Cache"] = state
    patch_vary_headers(response, [KEY_HEADER])
    return response
