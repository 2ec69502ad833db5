"""How many comments readers see on an article, by the one rule of what readers may see
(`CommentQuerySet.visible()`), in one query."""

from django.db.models import Count, Q

from .models import Comment


def visible_counts(article_id):
    """(all visible comments, visible top-level comments) on the article."""
    counts = (
        Comment.objects.visible()
        .filter(article_id=article_id)
        .aggregate(total=Count("pk"), top=Count("pk", filter=Q(parent__isnull=True)))
    )
    return counts["total"], counts["top"]
