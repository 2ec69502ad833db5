"""Wagtail's view-restriction lookup for a served page, in one query instead of two.

Before serving any page, Wagtail asks `page.get_view_restrictions()`: one query for the page's
ancestors (to resolve aliases), then one for the restrictions on them, about 1.5 ms of CPU and
two round trips on every uncached render. A page's ancestors are exactly the pages whose tree
path is a prefix of its own, so one statement finds, for the page and its ancestors, whether
any of them is an alias and which restrictions they carry. When none is an alias (every page
here, unless an editor makes an alias), the answer is the same as Wagtail's: no restriction
gives an empty QuerySet that needs no further query, and restrictions give a QuerySet of exactly
those. With an alias on the way, Wagtail's own lookup answers. Either way the result is a
QuerySet, as the admin's privacy views expect. tests/core/test_privacy.py compares it with
Wagtail's answer for restrictions at every level and for aliases.
"""

import functools

from django.db import connection


class OneQueryViewRestrictions:
    """Mixed into the site's page models, before wagtail's Page."""

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if self.alias_of_id or not self.path:
            return super().get_view_restrictions()
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        with connection.cursor() as cursor:
            cursor.execute(_covering_sql(connection.vendor, len(paths)), paths)
            rows = cursor.fetchall()
        if any(alias_of is not None for alias_of, _ in rows):
            return super().get_view_restrictions()
        ids = [restriction for _, restriction in rows if restriction is not None]
        objects = PageViewRestriction.objects
        return objects.filter(pk__in=ids) if ids else objects.none()


@functools.cache
def _covering_sql(vendor, count):
    """(alias_of, restriction id or NULL) for each page whose path is one of `count` paths."""
    from wagtail.models import Page, PageViewRestriction

    from .sql import column, table

    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT p.{column(Page, 'alias_of')}, r.{column(PageViewRestriction, 'id')} "
        f"FROM {table(Page)} p LEFT JOIN {table(PageViewRestriction)} r "
        f"ON r.{column(PageViewRestriction, 'page')} = p.{column(Page, 'id')} "
        f"WHERE p.{column(Page, 'path')} IN ({placeholders})"
    )
