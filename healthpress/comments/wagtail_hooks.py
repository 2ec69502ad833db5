"""Comments in the Wagtail admin: the moderation listing (viewsets.py: a Wagtail ModelViewSet
with the pending count in its menu item) and its bulk actions, each comment's page, the
blocklist as an editable snippet, the commenter-details permission in the Groups editor, the
dashboard panel, and the moderation actions in Wagtail's log (Reports → Site history). On
the site: the comment block's URL parameters, accepted on articles in their canonical spelling
only (block_state.py)."""

from django.contrib.auth.models import Permission
from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from healthpress.articles.models import ArticlePage
from healthpress.core.canonical_params import canonical_redirect

from . import admin_views, history
from .block_state import PARAMS, read_block_state
from .bulk_actions import ACTIONS as BULK_ACTIONS
from .dashboard import CommentsPanel
from .models import BlockedTerm, Comment
from .moderators import DETAILS_PERMISSION, MODERATE_PERMISSION, is_moderator
from .viewsets import CommentViewSet, moderators_policy

# Before the viewset registers: Wagtail would otherwise make a Django-permissions policy.
register_permission_policy(Comment, moderators_policy())


@hooks.register("register_admin_viewset")
def comment_viewset():
    return CommentViewSet()


for action in BULK_ACTIONS:
    hooks.register("register_bulk_action", action)


@hooks.register("register_admin_urls")
def comment_admin_urls():
    # Outside the viewset's namespace: the digest emails and links.py reverse "comments_detail".
    return [path("comments/<int:pk>/", admin_views.comment_detail, name="comments_detail")]


@hooks.register("register_permissions")
def moderation_permissions():
    """Listed under "Comment" in Settings → Groups, so an administrator can give any group the
    moderation of comments, and the sight of commenters' addresses and networks ("Comment
    moderators" has both, from migrations 0004 and 0005). Comment's add/change/delete stay off
    that page: `comments.moderate_comment` decides who moderates."""
    codenames = [name.split(".")[1] for name in (MODERATE_PERMISSION, DETAILS_PERMISSION)]
    return Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)


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


@hooks.register("register_two_factor_permissions")
def comment_powers_need_a_second_step():
    # Commenters' addresses and networks, and deciding what readers see (signin/two_factor.py).
    return ["comments.view_commenter_details", "comments.moderate_comment"]


@hooks.register("construct_homepage_panels")
def add_comments_panel(request, panels):
    if is_moderator(request.user):
        panels.append(CommentsPanel())


@hooks.register("register_log_actions")
def comment_moderation_actions(actions):
    """Moderation decisions are logged in Wagtail's log (history.py), so Reports → Site history
    lists them, filterable by action."""
    for action, formatter in history.formatters():
        actions.register_action(action)(formatter)
