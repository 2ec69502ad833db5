"""How many comments readers see on an article, by the one rule of what readers may see
(`CommentQuerySet.visible()`)."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce

from .models import Comment


def visible_counts(article_id):
    """(all visible comments, visible top-level comments) on the article."""
    counts = (
        Comment.objects.visible()
        .filter(article_id=article_id)
        .aggregate(total=Count("pk"), top=Count("pk", filter=Q(parent__isnull=True)))
    )
    return counts["total"], counts["top"]


def top_level_page(article_id, order, start, size):
    """One page of the visible top-level comments on the article. Each row also carries the
    article's totals (`top_total`, `reply_total`), counted by window functions over all of its
    visible threads before the page is cut, so the block needs no separate count query."""
    visible = Comment.objects.visible()
    replies = (
        visible.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        visible.filter(article_id=article_id, parent__isnull=True)
        .annotate(replies_shown=Coalesce(Subquery(replies), 0))
        .annotate(top_total=Window(Count("pk")), reply_total=Window(Sum("replies_shown")))
        .order_by(*order)
        .only("pk", "name", "body", "created_at", "article_id", "parent_id")[start : start + size]
    )
