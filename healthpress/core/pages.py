"""The queryset every HealthPress page model lists with: Wagtail's own, with `public()` (and
`not_public()`, `private()`) asking for the private areas without a join.

Wagtail builds its view-restriction filter from the restrictions joined to their pages
(`select_related("page")`). On SQLite that join plans as a scan of the whole page table
(restrictions are few, pages many; ANALYZE does not change the plan): about 15-20 ms at
100,000 pages on every `public()` call, half the partner API's budget for one article (issue
29, bench/bench_api.py, docs/performance.md). Here the one query asks for the pages whose id is
among the restrictions' (a subquery, not a join: the small restriction table is read first, the
pages found by primary key), and the filter is the same Q Wagtail builds from them
(`descendant_of_q(page, inclusive=True)` for each restricted page), so `public()` keeps
Wagtail's meaning (tests/core/test_pages.py compares the two). The restricted pages change only
with edits that purge the whole page cache, so each process keeps them until then, like the
header's topics: no query at all once kept.

Wagtail 8 has no setting or hook for this query; a custom page manager is its documented way to
change a page model's queryset.
"""

from django.db.models import Q
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from healthpress.pagecache.memo import purge_bound


def restricted_areas():
    """The pages whose view restriction closes them and everything under them, kept in each
    process until the next purge of the page cache (pagecache/memo.py): adding or removing a
    restriction, and moving or deleting a page, purge it whole (pagecache/rules.py). So a
    render or an API answer asks nothing of the database for `public()`."""
    restricted = PageViewRestriction.objects.values("page_id")
    # no ORDER BY: ordered by path, a planner may walk the whole path index instead
    pages = Page.objects.filter(pk__in=restricted).order_by().only("path", "depth")
    return purge_bound("restricted-areas", lambda: list(pages))


class HealthPressPageQuerySet(PageQuerySet):
    def private_q(self):
        q = Q()
        for page in restricted_areas():
            q |= self.descendant_of_q(page, inclusive=True)
        # do not match any page if no private area exists (Wagtail's own words)
        return q if q else Q(pk__in=[])

    def live_public_unjoined(self):
        """`self.live().public()` decided without joining the page table row by row: for a
        queryset filtered and ordered on its own model's table (an author's articles, newest
        first: articles/models.py). The rows are those of this table less the hidden ones,
        found through two small sets of pages: those not live (a partial index, core 0004) and
        those in a private area.

        Joined to the page table for `live`, counting an author's 10,000 articles read the
        page row of each: 17 ms on SQLite, 30-46 ms on PostgreSQL, which hashed every live page
        of the site; this way 2.6 and 1.7 ms (docs/performance.md). Drafts and private areas
        are few on a publisher's site; a query costs in proportion to them."""
        pages = HealthPressPageQuerySet(Page).order_by()
        shown = self.exclude(pk__in=pages.filter(live=False).values("pk"))
        if restricted_areas():
            shown = shown.exclude(pk__in=pages.filter(self.private_q()).values("pk"))
        return shown


HealthPressPageManager = PageManager.from_queryset(HealthPressPageQuerySet)


class KnownRestrictions:
    """A page model mixin: Wagtail's serve hook asks every page for its view restrictions (two
    queries: the ancestors, then the restrictions). On a site without any, the kept private
    areas already say so, and the answer needs no query; with any, Wagtail's own method
    answers, aliases and all."""

    def get_view_restrictions(self):
        if not restricted_areas():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def every_page():
    """Wagtail's Page rows (of every type) through this queryset, in tree order as
    `Page.objects` lists them: for the lists that read plain pages rather than one model."""
    return HealthPressPageQuerySet(Page).order_by("path")
