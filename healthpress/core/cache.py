"""Purging cached pages when what they show changes. Every app calls purge_page(); nothing else
decides which cached copies are stale."""

from wagtail.contrib.frontend_cache.utils import PurgeBatch


def purge_page(page):
    """Drop every cached copy of `page` (reverse proxy / CDN through Wagtail's frontend cache;
    the app's own page cache hooks in here too)."""
    batch = PurgeBatch()
    batch.add_page(page)
    batch.purge()
