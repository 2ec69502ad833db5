"""The dashboard's "Comments to moderate" panel: how many comments wait, and the oldest first
(a reader has waited longest for those). Shown to moderators only (moderators.is_moderator), the
people who can approve or reject them.

Links go to the moderation listing and each comment's page (admin_views.py). Added to the
dashboard by wagtail_hooks.py.
"""

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.timesince import timesince

from healthpress.core.dashboard import LIMIT, DashboardPanel, Item, plural

from .admin_views import listing_url
from .models import Comment


class CommentsPanel(DashboardPanel):
    name = "comments_to_moderate"
    order = 110
    heading = "Comments to moderate"
    icon = "comment"
    template_name = "comments/admin/dashboard_comments.html"
    empty_text = "No comment is waiting for moderation."

    def figures(self, request):
        pending = Comment.objects.pending()
        count = pending.count()
        oldest = pending.select_related("article").order_by("created_at", "pk")[:LIMIT]
        items = [
            Item(
                label=f"{comment.name} on “{comment.article.title}”",
                url=reverse("comments_detail", args=[comment.pk]),
                notes=[
                    f"“{truncatechars(comment.body, 80)}”",
                    f"waiting {timesince(comment.created_at)}",
                ]
                + ([f"spam check: {comment.reason}"] if comment.reason else []),
            )
            for comment in oldest
        ]
        return {
            "count": count,
            "summary": f"{plural(count, 'comment')} waiting, the oldest first." if count else "",
            "items": items,
            "links": [(listing_url(), "All comments to moderate")],
        }
