"""The request's Wagtail Site, its home page and its review settings in one query.

Serving a page, Wagtail first finds the Site (one query whose CASE ranking cost about 2 ms of CPU
to build), then the home page's specific row (a second query), and the article asks for the
site's review settings (a third). `find_site` answers what Wagtail's `Site.find_for_request`
answers, from a plain query with those rows joined, and `SiteMiddleware` hands the answer to
Wagtail the way Wagtail caches its own: on `request._wagtail_site`.
tests/core/test_sites.py checks it against Wagtail's answer for many configurations of sites.
"""

from django.db.models import Q
from django.http.request import split_domain_port

from healthpress.pagecache.front import anonymous
from healthpress.pagecache.memo import purge_bound

# Wagtail's ranking of the candidates (wagtail.models.sites.get_site_for_hostname).
HOSTNAME_PORT, HOSTNAME_DEFAULT, DEFAULT, HOSTNAME = range(4)


def find_site(hostname, port):
    """The Site Wagtail would pick for `hostname` and `port`, or None."""
    from wagtail.models import Site

    candidates = (
        Site.objects.filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by()
        .select_related("root_page__homepage", "reviewsettings__editorial_policy_page")
    )

    def rank(site):
        if site.hostname == hostname:
            if site.port == port:
                return HOSTNAME_PORT
            if site.is_default_site:
                return HOSTNAME_DEFAULT
            return HOSTNAME
        return DEFAULT

    sites = sorted(candidates, key=rank)
    if not sites:
        return None
    best = rank(sites[0])
    if len(sites) == 1 or best in (HOSTNAME_PORT, HOSTNAME_DEFAULT):
        site = sites[0]
    elif best == DEFAULT:
        # The default, unless exactly one other site has this hostname (Wagtail's rule).
        site = sites[len(sites) == 2]
    else:
        return None  # several sites for this hostname, none on this port, and no default
    home = getattr(site.root_page, "homepage", None)
    if home is not None:
        site.root_page = home  # already specific: Wagtail's routing needs no second query
    return site


class SiteMiddleware:
    """Find the Site for requests Wagtail will serve as pages, before Wagtail looks for it.

    For anonymous readers the answer, and Wagtail's list of site root paths, are kept in the
    process until the next purge (pagecache/memo.py); logged-in editors always get them afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail import views as wagtail_views
        from wagtail.models import Site

        if view_func is wagtail_views.serve and not hasattr(request, "_wagtail_site"):
            # The raw host, as Wagtail reads it (CommonMiddleware has checked ALLOWED_HOSTS).
            hostname = split_domain_port(request._get_raw_host())[0]
            port = request.get_port()
            if anonymous(request.META.get("HTTP_COOKIE")):
                site = purge_bound(("site", hostname, port), lambda: find_site(hostname, port))
                # Wagtail reads its site root paths from the shared cache once per request (a
                # Redis round trip in production) and keeps them on the request under this name.
                request._wagtail_cached_site_root_paths = purge_bound(
                    "site-root-paths", Site.get_site_root_paths
                )
            else:
                site = find_site(hostname, port)
            request._wagtail_site = site
        return None
