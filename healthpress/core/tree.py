"""Pages under a page as a range of tree paths, so that an index serves the lookup on SQLite too.

Wagtail's `child_of()` and `sibling_of()` test `path LIKE 'prefix%'`. SQLite's LIKE ignores
case, so it cannot use the path index (a BINARY one) and reads every page of the site instead:
25 ms for the count alone of a 5,000-article topic at 20,000 articles (docs/performance.md,
"A site of 100,000 articles"). The same prefix written as a range of paths (`>= prefix` and
`< the next prefix`) selects the same pages, and both databases read only that range (the path
is compared byte by byte on both: SQLite's BINARY collation, Wagtail's "C" collation on
PostgreSQL). Depth still says which level of the range is wanted.
"""

from django.db.models import CharField, F, Func, Q
from django.db.models.lookups import Exact
from wagtail.models import Page


class ParentPath(Func):
    """A page's parent's path: its own less the last step (treebeard's steplen characters).
    The numbers are written into the SQL, not passed as parameters: a database uses an index
    on an expression only for the same expression, and `SUBSTR(path, ?, ...)` is not it."""

    template = f"SUBSTR(%(expressions)s, 1, LENGTH(%(expressions)s) - {Page.steplen})"
    output_field = CharField()


# Core's migration 0005 indexes this expression, so a filter must be written with this one.
PARENT_PATH = ParentPath(F("path"))


def _prefix_range(prefix):
    # Every path starting with `prefix` sorts at or after it and before the prefix whose last
    # character is the next one: the range is exactly the paths that start with it.
    return Q(path__gte=prefix, path__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))


def children_q(page):
    """The pages whose parent is `page`: Wagtail's `child_of(page)`."""
    return _prefix_range(page.path) & Q(depth=page.depth + 1)


def children_by_parent_path(page):
    """A filter for the pages whose parent is `page`, as the index of core 0005 finds them:
    with an order by date, newest first, a listing page is read from that index in order."""
    return Exact(PARENT_PATH, page.path)


def _parent_path(page):
    return page._get_basepath(page.path, page.depth - 1)  # treebeard's get_parent() rule


def siblings_by_parent_path(page):
    """A filter for the pages with the same parent as `page` (`page` included), as the index of
    core 0005 finds them, in date order."""
    return Exact(PARENT_PATH, _parent_path(page))


def siblings_q(page):
    """The pages with the same parent as `page`, `page` included: Wagtail's
    `sibling_of(page)`. Works from the page's own path and depth, without loading the parent."""
    return _prefix_range(_parent_path(page)) & Q(depth=page.depth)
