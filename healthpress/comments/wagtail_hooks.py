"""Comments in the Wagtail admin: a menu item with the pending count, the moderation views, and
the blocklist as an editable snippet."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import BlockedTerm, Comment
from .moderators import is_moderator


class CommentsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)

    def render_component(self, request):
        # The sidebar has no badge slot, so the pending count is part of the label.
        pending = Comment.objects.pending().count()
        self.label = f"Comments ({pending} pending)" if pending else "Comments"
        return super().render_component(request)


@hooks.register("register_admin_urls")
def comment_admin_urls():
    return [
        path("comments/", admin_views.comment_list, name="comments_list"),
        path("comments/bulk/", admin_views.bulk_action, name="comments_bulk"),
        path("comments/<int:pk>/", admin_views.comment_detail, name="comments_detail"),
    ]


@hooks.register("register_admin_menu_item")
def comments_menu_item():
    return CommentsMenuItem(
        "Comments", reverse("comments_list"), name="comments", icon_name="comment", order=250
    )


class BlockedTermViewSet(SnippetViewSet):
    model = BlockedTerm
    icon = "warning"
    menu_label = "Comment blocklist"
    add_to_admin_menu = False
    list_display = ["term", "note"]
    search_fields = ["term", "note"]


register_snippet(BlockedTermViewSet)
