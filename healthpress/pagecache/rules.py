"""Which cached pages go stale when a Wagtail page, a Site or a view restriction changes.

The rules that hold for any Wagtail site live here; each app adds its own in a `purge_rules`
module connected from its AppConfig (articles: an article's listings; people: author pages;
comments: the article a comment shows on). This package knows nothing of those apps.

- a page published or unpublished: the paths its model's rule names (`stale_paths_for`), or
  everything when its model has none (a topic or the home page shows on every page);
- a page moved or deleted: everything (its old address and every listing of it);
- a view restriction added, changed or removed: everything (it covers a whole subtree, and every
  listing of those pages must drop or regain them);
- a Site added, edited or deleted: everything (canonical links and routing follow its address).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .purge import purge_all, purge_paths

_page_rules = {}
# True inside publish_purges_held(): this context's publishes purge nothing.
_held = ContextVar("publish_purges_held", default=False)


@contextmanager
def publish_purges_held():
    """For a bulk import, which purges everything once at its end instead: publishes and
    unpublishes made in this context (this thread, this task) purge nothing. The receivers stay
    connected, so a publish anywhere else in the process purges as usual."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def stale_paths_for(model):
    """Register `rule(page) -> paths`: what a publish or unpublish of a `model` page purges."""

    def register(rule):
        _page_rules[model] = rule
        return rule

    return register


def on_publish_change(sender, instance, **kwargs):
    if _held.get():
        return
    page = instance.specific_deferred
    for model in type(page).__mro__:
        if model in _page_rules:
            purge_paths(_page_rules[model](page))
            return
    purge_all()


def on_site_wide_change(sender, instance=None, **kwargs):
    purge_all()


def connect():
    from wagtail.models import Page, PageViewRestriction, Site

    page_published.connect(on_publish_change, dispatch_uid="pagecache-published")
    page_unpublished.connect(on_publish_change, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(on_site_wide_change, dispatch_uid="pagecache-moved")
    post_delete.connect(on_site_wide_change, sender=Page, dispatch_uid="pagecache-deleted")
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                on_site_wide_change, sender=model, dispatch_uid=f"pagecache-{model._meta.label}"
            )
