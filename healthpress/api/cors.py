"""CORS for browser-based partners: off unless API_CORS_ALLOWED_ORIGINS names their origins.

Only /api/ is concerned. An allowed origin gets `Access-Control-Allow-Origin` with its own name
(never `*`), may send the key header and the revalidation headers, and may read the caching and
rate-limit headers; a preflight (OPTIONS) from it is answered here, before the API's 405. Any
other origin gets no CORS header at all, so browsers keep the answer from its page.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .auth import KEY_HEADER

PREFIX = "/api/"
ALLOW_HEADERS = ", ".join([KEY_HEADER, "If-None-Match", "If-Modified-Since"])
EXPOSE_HEADERS = ", ".join(["ETag", "Last-Modified", "Retry-After"])
PREFLIGHT_SECONDS = 3600


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        allowed = bool(origin) and origin in settings.API_CORS_ALLOWED_ORIGINS
        if (
            allowed
            and request.method == "OPTIONS"
            and "Access-Control-Request-Method" in (request.headers)
        ):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET"
            response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
        else:
            response = self.get_response(request)
        if settings.API_CORS_ALLOWED_ORIGINS:
            patch_vary_headers(response, ["Origin"])
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        return response
