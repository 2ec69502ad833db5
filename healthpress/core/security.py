"""Cross-site request protection for the public forms on cached pages.

A page cached whole cannot carry Django's per-visitor CSRF token, so the public forms (comment,
subscribe) rely on what every current browser sends with a POST: `Sec-Fetch-Site`, and `Origin`.
The rule follows Go 1.25's CrossOriginProtection: `Sec-Fetch-Site: same-origin` (or `none`, a
user typing the address) passes; any other value is refused. Without that header, an `Origin`
that differs from the host is refused; a request with neither header is not from a browser form
on another site, so it passes. The admin keeps Django's own CSRF middleware unchanged.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
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
    """Exempt a view from the CSRF token, refusing cross-site POSTs with a readable 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS and is_cross_site(request):
            return render(request, "core/forbidden_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
