"""Purging cached pages when what they show changes: the one API every app calls.

`purge_page(page)`, `purge_paths(paths)` and `purge_all()` act once the transaction that made
the change commits (at once outside a transaction). Purging inside it would let a reader in the
window between purge and commit store the old page again, for up to PAGE_CACHE_SECONDS.

Two caches are purged: our own page cache, directly, and any reverse proxy or CDN configured in
WAGTAILFRONTENDCACHE, through Wagtail's frontend-cache API. Our own cache is not a Wagtail
frontend-cache backend: Wagtail 8 sends every frontend purge through the task queue, so it would
land a worker's poll after the commit (or never, with the worker down) while readers keep
getting the old page; the next reader after a commit must already get the new one.
"""

import logging

from django.conf import settings
from django.db import transaction

from . import memo, store
from .clock import purge_clock
from .keys import version_key

logger = logging.getLogger(__name__)


def page_path(page):
    """The page's path on the site, as readers request it ('' when it has no URL)."""
    parts = page.get_url_parts() if page else None
    return parts[2] if parts else ""


def purge_page(page):
    """Drop every cached copy of `page` (its address is read now, before it may move)."""
    purge_paths([page_path(page)])


def purge_paths(paths):
    """Drop every cached copy of these paths, whatever the host and query."""
    paths = sorted({path for path in paths if path})
    if paths:
        memo.forget()  # this process reads its own change back at once (memo.py)
        transaction.on_commit(lambda: purge_paths_now(paths), robust=True)


def purge_all():
    """For changes that show on every page (topic navigation, site name). Our own cache only:
    a reverse proxy in front is purged per path, so the deploy guide gives it a short s-maxage."""
    memo.forget()
    transaction.on_commit(purge_all_now, robust=True)


def purge_paths_now(paths):
    if not paths:
        return  # nothing dropped, so no process need drop its copies
    # Shared copies go first, then the clock moves (once per batch): see clock.py.
    store.new_versions([version_key(path) for path in paths])
    purge_clock().tick()
    purge_frontend_caches(paths)


def purge_all_now():
    store.new_generation()
    purge_clock().tick()


def purge_frontend_caches(paths):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Site

    roots = {site.root_url for site in Site.objects.all()} or {settings.WAGTAILADMIN_BASE_URL}
    purge_urls_from_cache([root.rstrip("/") + path for root in roots for path in paths])
