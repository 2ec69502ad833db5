"""Cross-site request protection for the public forms on cached pages, and the security
headers Django does not set by itself (Content-Security-Policy, Permissions-Policy,
Cross-Origin-Resource-Policy; docs/security.md).

A page cached whole cannot carry Django's per-visitor CSRF token, so the public forms (comment,
subscribe) rely on what every current browser sends with a POST: `Sec-Fetch-Site`, and `Origin`.
The rule follows Go 1.25's CrossOriginProtection: `Sec-Fetch-Site: same-origin` (or `none`, a
user typing the address) passes; any other value is refused. Without that header, an `Origin`
that differs from the host is refused; a request with neither header is not from a browser form
on another site, so it passes. The admin keeps Django's own CSRF middleware unchanged.
"""

from functools import wraps
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def is_cross_site(request):
    origin = request.headers.get("Origin")
    if origin and origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site not in {"same-origin", "none"}
    if not origin:
        return False
    if origin == "null":
        return True
    parts = urlsplit(origin)
    return parts.netloc.lower() != request.get_host().lower()


def public_form(view):
    """Exempt a view from the CSRF token, refusing cross-site POSTs with a readable 403 page, and
    any body that is not an ordinary text form (415) or is larger than PUBLIC_FORM_MAX_BYTES
    (413)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            if is_cross_site(request):
                return render(request, "core/forbidden_cross_site.html", status=403)
            refused = read_form_body(request)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def read_form_body(request):
    """Read the form from the request's stream itself, at most PUBLIC_FORM_MAX_BYTES: the
    Content-Length header may be absent (a chunked body) or lie, and Django would then read
    whatever arrives. Returns a refusal, or None with request.POST set."""
    limit = settings.PUBLIC_FORM_MAX_BYTES
    if request.content_type not in ("application/x-www-form-urlencoded", ""):
        return render(request, "core/unsupported_form.html", status=415)
    body = request.read(limit + 1)
    if len(body) > limit:
        return render(request, "core/too_large.html", {"max_kb": limit // 1024}, status=413)
    request.POST = QueryDict(body, encoding=request.encoding)
    return None


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy for the public site and one for the admin.

    Public pages run no script and load only their own stylesheet and images, so their policy
    forbids everything else (settings.CONTENT_SECURITY_POLICY); cached pages carry it, as it is
    part of the stored response. The Wagtail admin (and its page previews) needs inline styles
    and scripts and frames itself, so it gets settings.ADMIN_CONTENT_SECURITY_POLICY instead.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin(request):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


def is_admin(request):
    return request.path_info.startswith(settings.ADMIN_PATH_PREFIXES)


class PermissionsPolicyMiddleware:
    """Headers Django does not set: Permissions-Policy (no camera, microphone, location and
    the like for any page) and Cross-Origin-Resource-Policy (our responses are not for other
    sites to embed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response
