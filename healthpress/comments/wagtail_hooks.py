"""Comments in the Wagtail admin: a menu item with the pending count, the moderation views, the
blocklist as an editable snippet, and the commenter-details permission in the Groups editor. On
the site: the comment block's URL parameters, accepted on articles in their canonical spelling
only (block_state.py)."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from healthpress.articles.models import ArticlePage
from healthpress.core.canonical_params import canonical_redirect

from . import admin_views, dashboard  # noqa: F401  (dashboard registers its homepage panel)
from .block_state import PARAMS, read_block_state
from .models import BlockedTerm, Comment
from .moderators import DETAILS_PERMISSION, is_moderator


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


@hooks.register("register_permissions")
def commenter_details_permission():
    """Listed under "Comment" in Settings → Groups, so an administrator can give any group the
    sight of commenters' addresses and networks ("Comment moderators" has it from migration 0004).
    Comment's add/change/delete stay off that page: the "Moderators" group decides who moderates."""
    app_label, codename = DETAILS_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


class BlockedTermViewSet(SnippetViewSet):
    model = BlockedTerm
    icon = "warning"
    menu_label = "Comment blocklist"
    add_to_admin_menu = False
    list_display = ["term", "note"]
    search_fields = ["term", "note"]


register_snippet(BlockedTermViewSet)


@hooks.register("register_page_query_params")
def comment_block_params(page):
    """The article's URLs carry the comment block's parameters (core/canonical_params.py)."""
    return PARAMS if isinstance(page, ArticlePage) else ()


# Inside Wagtail's view-restriction check (order 0), as core/wagtail_hooks.py explains: a private
# article asks for a login before its comment pages are counted.
@hooks.register("on_serve_page", order=10)
def canonical_comment_block_urls(serve):
    """A redirect or a 404 for an article URL whose comment-block parameters are not spelled as
    our links spell them: the page cache would keep a 200 for every value."""

    def checked(page, request, serve_args, serve_kwargs):
        if request.GET and isinstance(page, ArticlePage):
            redirect = canonical_redirect(request, lambda: read_block_state(page, request.GET))
            if redirect is not None:
                return redirect
        return serve(page, request, serve_args, serve_kwargs)

    return checked
