"""How many comments readers see on an article: asked on every uncached article render.

One statement written out (see core/sql.py for why): the ORM's aggregate over `visible()` cost
about 1.5 ms of CPU to build, several times what the database takes. The rule is the one in
`CommentQuerySet.visible()`: approved, and either top-level or replying to an approved comment.
tests/comments/test_counts.py checks the two agree on a mix of statuses.
"""

import functools

from django.db import connection

from .models import Comment, Status


def visible_counts(article_id):
    """(all visible comments, visible top-level comments) on the article."""
    with connection.cursor() as cursor:
        cursor.execute(
            _counts_sql(connection.vendor), [Status.APPROVED, Status.APPROVED, article_id]
        )
        total, top = cursor.fetchone()
    return total or 0, top or 0


@functools.cache
def _counts_sql(vendor):
    from healthpress.core.sql import column, table

    comments, pk = table(Comment), column(Comment, "id")
    parent, status = column(Comment, "parent"), column(Comment, "status")
    return (
        f"SELECT COUNT(*), SUM(CASE WHEN c.{parent} IS NULL THEN 1 ELSE 0 END) "
        f"FROM {comments} c LEFT JOIN {comments} p ON p.{pk} = c.{parent} "
        f"WHERE c.{status} = %s AND (c.{parent} IS NULL OR p.{status} = %s) "
        f"AND c.{column(Comment, 'article')} = %s"
    )
