"""Purging cached pages when what they show changes.

Every app calls purge_page() (or purge_everything() for what shows on every page, such as the
topic navigation); nothing else decides which cached copies are stale. Our own page cache is
purged at once, in the same request; reverse proxies and CDNs configured in
WAGTAILFRONTENDCACHE are purged through Wagtail's frontend cache as well.
"""

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

from . import pagecache


def purge_paths(paths):
    paths = sorted(set(paths))
    pagecache.purge_paths(paths)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        purge_urls_from_cache([base + path for path in paths])


def page_path(page):
    """The page's path on the site, as readers request it ('' when it has no URL)."""
    parts = page.get_url_parts() if page else None
    return parts[2] if parts else ""


def purge_page(page):
    """Drop every cached copy of `page`."""
    purge_paths([p for p in [page_path(page)] if p])


def site_wide_listing_paths():
    """Pages that list articles across the site: feeds and the sitemap."""
    return ["/sitemap.xml", reverse("people:index"), reverse("feeds:rss"), reverse("feeds:atom")]


def purge_everything():
    """For changes that show on every page (topic navigation, site name). Our own cache only:
    a reverse proxy in front is purged per path, so the deploy guide gives it a short s-maxage."""
    pagecache.purge_all()
