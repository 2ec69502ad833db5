"""Which requests the page cache may answer, and the key each one is filed under.

A cached page is filed under its origin (scheme and host, as Django accepts them against
ALLOWED_HOSTS), its path and its canonical query: the allowed parameters only, each at most once,
sorted and encoded. Tracking parameters (utm_*, fbclid, ...) are dropped from the key, so a
shared link with them is still a hit. A request with any other parameter, a repeated one or an
oversized value is never answered from the cache nor stored: Django renders it, and the page's
own view answers a non-canonical value with a redirect or a 404, which is never stored either.

Keys are hashes: fixed length whatever the URL, and nothing of the request's text in Redis.
"""

import hashlib
from io import BytesIO
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.core.signals import setting_changed

MAX_VALUE_LENGTH = 64
MAX_ORIGINS = 256


def _digest(*parts):
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


class PageKey(NamedTuple):
    origin: str  # "https://example.org"
    path: str
    query: str  # canonical: sorted, encoded; "" for none

    @property
    def entry(self):
        return "e:" + _digest(self.origin, self.path, self.query)

    @property
    def version(self):
        # Per path, not per origin: a purge names paths, and drops them under every host.
        return version_key(self.path)


def version_key(path):
    return "v:" + _digest(path)


def is_excluded(path):
    return path.startswith(tuple(settings.PAGE_CACHE_EXCLUDE))


def is_tracking(name):
    return name.startswith("utm_") or name in settings.PAGE_CACHE_IGNORED_PARAMS


def canonical_query(query_string):
    """The query as the cache files it, or None when such a request must not use the cache."""
    if not query_string:
        return ""
    try:
        pairs = parse_qsl(
            query_string, keep_blank_values=True, strict_parsing=False, max_num_fields=20
        )
    except ValueError:  # too many fields
        return None
    pairs = [(name, value) for name, value in pairs if not is_tracking(name)]
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        return None
    for name, value in pairs:
        if name not in settings.PAGE_CACHE_QUERY_PARAMS or len(value) > MAX_VALUE_LENGTH:
            return None
    return urlencode(sorted(pairs))


def key_for(origin, path, query_string):
    if origin is None or is_excluded(path):
        return None
    query = canonical_query(query_string)
    return None if query is None else PageKey(origin, path, query)


def request_key(request):
    """The key for a Django request, or None (not cacheable, or a host Django refuses)."""
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None
    return key_for(origin, request.path_info, request.META.get("QUERY_STRING", ""))


# What Django answers for a host depends only on these request values (and on the settings),
# so the WSGI front asks Django once per combination and keeps the answer.
_HOST_VARIABLES = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)
_origins = {}


def _proxy_header():
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    return header[0] if header else None


def environ_origin(environ):
    """ "scheme://host" for a WSGI request, as Django's request.scheme and get_host() give it;
    None for a host outside ALLOWED_HOSTS."""
    proxy = _proxy_header()
    signature = tuple(environ.get(name) for name in _HOST_VARIABLES) + (
        environ.get(proxy) if proxy else None,
    )
    try:
        return _origins[signature]
    except KeyError:
        pass
    request_environ = {name: environ[name] for name in _HOST_VARIABLES if name in environ}
    if proxy and proxy in environ:
        request_environ[proxy] = environ[proxy]
    request_environ.update(REQUEST_METHOD="GET", PATH_INFO="/", **{"wsgi.input": BytesIO()})
    request = WSGIRequest(request_environ)
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        origin = None
    if len(_origins) >= MAX_ORIGINS:
        _origins.clear()
    _origins[signature] = origin
    return origin


def environ_key(environ):
    return key_for(environ_origin(environ), get_path_info(environ), environ.get("QUERY_STRING", ""))


def _forget_origins(**kwargs):
    _origins.clear()


setting_changed.connect(_forget_origins, dispatch_uid="pagecache-origins")
