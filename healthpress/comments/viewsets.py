"""The comments listing as a Wagtail ModelViewSet, the menu item with the pending count, and the
permission policy that makes Wagtail ask `is_moderator()`.

A ModelViewSet rather than a SnippetViewSet: a snippet would bring edit, copy, history and
chooser views and Wagtail's own bulk delete (which deletes without `Comment.remove()`), all to be
switched off again. Readers write comments; the admin only decides them.
"""

from django.contrib.auth.models import Permission
from wagtail.admin.admin_url_finder import ModelAdminURLFinder

from healthpress.core.admin_listing import ListingOnlyViewSet, RulePolicy, WaitingCountMenuItem

from . import admin_views
from .models import Comment
from .moderators import is_moderator, moderators

# What a moderator does in Wagtail's terms: see the listing, change a comment's status, delete
# it. Nobody adds one in the admin.
ACTIONS = {"view", "change", "delete"}


def moderators_policy():
    """Wagtail's permission policy for Comment, answering with is_moderator()."""
    return RulePolicy(Comment, actions=ACTIONS, allows=is_moderator, users=moderators)


class CommentsMenuItem(WaitingCountMenuItem):
    waiting_label = "{label} ({count} pending)"

    def may_see(self, user):
        return is_moderator(user)

    def waiting(self):
        return Comment.objects.pending().count()


class CommentViewSet(ListingOnlyViewSet):
    """Wagtail's listing at /admin/comments/; no add, edit, delete or copy views. Each comment's
    own page (/admin/comments/<id>/, "comments_detail") is registered beside it in
    wagtail_hooks.py, outside this namespace, because emails and links.py reverse that name."""

    model = Comment
    name = "comments"
    url_namespace = admin_views.NAMESPACE
    icon = "comment"
    menu_label = "Comments"
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    menu_item_class = CommentsMenuItem
    index_view_class = admin_views.CommentIndexView
    index_template_name = "comments/admin/index.html"
    list_per_page = 50

    @property
    def url_finder_class(self):
        # Wagtail's "edit this object" links (AdminURLFinder) lead to the comment's page.
        return type(
            "CommentURLFinder", (ModelAdminURLFinder,), {"edit_url_name": "comments_detail"}
        )

    def get_permissions_to_register(self):
        # Moderating is granted by `comments.moderate_comment`, not by Comment's add/change/delete
        # in Settings → Groups (wagtail_hooks.py lists only the moderation and commenter-details
        # permissions there).
        return Permission.objects.none()
