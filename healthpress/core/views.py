import sys

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from healthpress.pagecache import store as page_store

from .canonical_params import canonical_query
from .site import absolute_url


@require_GET
@canonical_query()
def robots_txt(request):
    sitemap_url = absolute_url(request, "/sitemap.xml")
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('wagtailadmin_home')}",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; send them to the real icon.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def healthz(request):
    """200 when the database and the cache answer, 503 otherwise; never a stack trace. The page
    cache's store is reported too, as "degraded" when it does not answer, without a 503."""
    from django.core.cache import caches
    from django.db import connection

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
    try:
        caches["default"].set("healthz", "1", 5)
        checks["cache"] = "ok" if caches["default"].get("healthz") == "1" else "unavailable"
    except Exception:
        checks["cache"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    # Without its store the page cache is skipped and pages are rendered: slower, still serving.
    checks["page cache"] = "ok" if page_store.reachable() else "degraded"
    body = "\n".join(f"{name}: {value}" for name, value in checks.items()) + "\n"
    response = HttpResponse(body, status=200 if healthy else 503, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def private_upload(request, path):
    """Uploaded originals (with whatever the camera wrote, before core/images.py cleaned them
    for older uploads) and half-finished uploads are never public: readers get renditions."""
    from django.http import Http404

    raise Http404("Not a public file")


def server_error(request):
    """500, or 503 with a readable page when the database is unreachable (it heals by itself:
    connections are health-checked before reuse)."""
    from django.db import InterfaceError, OperationalError
    from django.template import loader

    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response
