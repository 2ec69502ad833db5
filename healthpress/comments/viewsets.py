"""The comments listing as a Wagtail ModelViewSet, the menu item with the pending count, and the
permission policy that makes Wagtail ask `is_moderator()`.

A ModelViewSet rather than a SnippetViewSet: a snippet would bring edit, copy, history and
chooser views and Wagtail's own bulk delete (which deletes without `Comment.remove()`), all to be
switched off again. Readers write comments; the admin only decides them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import path
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from . import admin_views
from .models import Comment
from .moderators import GROUP_NAME, is_moderator

# What a moderator does in Wagtail's terms: see the listing, change a comment's status, delete
# it. Nobody adds one in the admin.
ACTIONS = {"view", "change", "delete"}


class ModeratorsPolicy(BasePermissionPolicy):
    """Wagtail's permission policy for Comment, answering with is_moderator()."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and is_moderator(user)

    def user_has_any_permission(self, user, actions):
        return bool(ACTIONS & set(actions)) and is_moderator(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not ACTIONS & set(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=GROUP_NAME)).distinct()


class CommentsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)

    def render_component(self, request):
        # The sidebar has no badge slot, so the pending count is part of the label. Menu items
        # are shared between requests: the label is built per request, not stored.
        pending = Comment.objects.pending().count()
        label = f"Comments ({pending} pending)" if pending else "Comments"
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname
        )


class CommentViewSet(ModelViewSet):
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
    copy_view_enabled = False
    # Comments stay out of Wagtail's reference index, so an article's "usage" never lists them.
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage"):
            kwargs[f"{name}_url_name"] = None
        return kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    @property
    def url_finder_class(self):
        # Wagtail's "edit this object" links (AdminURLFinder) lead to the comment's page.
        return type(
            "CommentURLFinder", (ModelAdminURLFinder,), {"edit_url_name": "comments_detail"}
        )

    def get_permissions_to_register(self):
        # Moderating is granted by the "Moderators" group, not by Comment's add/change/delete in
        # Settings → Groups (wagtail_hooks.py lists only the commenter-details permission there).
        return Permission.objects.none()
