"""Who may read the API, and how often: an `X-API-Key` header (declared in the OpenAPI document),
or no key at all where API_ANONYMOUS_READS allows it, each rate-limited by core/ratelimit.py."""

import math
import threading

from django.conf import settings
from ninja.errors import AuthorizationError, HttpError
from ninja.security import APIKeyHeader
from ninja.throttling import BaseThrottle

from healthpress.core.clients import client_key
from healthpress.core.ratelimit import over_limit, retry_after

from . import usage
from .keys import check_key

KEY_HEADER = "X-API-Key"


class Anonymous:
    """`request.auth` for a read without a key (API_ANONYMOUS_READS)."""

    pk = None

    def __bool__(self):
        return True


ANONYMOUS = Anonymous()


class PartnerKey(APIKeyHeader):
    """A current partner key in X-API-Key: Wagtail's APIToken (keys.py)."""

    param_name = KEY_HEADER

    def authenticate(self, request, key):
        if not key:
            return None  # the next scheme (anonymous reads) may still accept the request
        checked = check_key(key.strip())
        if checked.refused == "not_partner":
            raise AuthorizationError(message="This key belongs to a staff account, not a partner.")
        if checked.token is None:
            raise HttpError(401, "Unknown or revoked API key.")
        usage.count_request(checked.token)
        return checked.token


class AnonymousRead:
    """No key: accepted only where API_ANONYMOUS_READS is on. A plain callable, not a Ninja
    security scheme, so the OpenAPI document asks for a key: the way partners should read."""

    def __call__(self, request):
        if KEY_HEADER in request.headers or not settings.API_ANONYMOUS_READS:
            return None
        return ANONYMOUS


class KeyRateLimit(BaseThrottle):
    """Per key (API_RATE_LIMITS), or per client network for anonymous reads
    (API_ANONYMOUS_RATE_LIMITS): fixed windows in the cache, as every rate limit of the site.
    One instance serves every request: the wait it reports is kept per thread."""

    def __init__(self):
        self.local = threading.local()

    def limits(self, request):
        if isinstance(request.auth, Anonymous):
            return "api-anonymous", client_key(request), settings.API_ANONYMOUS_RATE_LIMITS
        return "api-key", str(request.auth.pk), settings.API_RATE_LIMITS

    def allow_request(self, request):
        scope, client, limits = self.limits(request)
        self.local.wait = retry_after(limits) if limits else None
        return not limits or not over_limit(scope, client, limits)

    def wait(self):
        wait = getattr(self.local, "wait", None)
        return math.ceil(wait) if wait else None


def api_auth():
    return [PartnerKey(), AnonymousRead()]
