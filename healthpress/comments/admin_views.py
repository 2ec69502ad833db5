"""Moderation in the Wagtail admin: Wagtail's generic listing (filters, search, sorting,
pagination, bulk actions: bulk_actions.py), and one page per comment (the digest email links
there) with its own buttons.

Only moderators (`comments.moderate_comment`: the "Comment moderators" group, superusers) may
see or act; anyone else who reaches these URLs gets 403, and a visitor who is not signed in is
sent to Wagtail's sign-in. Commenters' email addresses, networks and browsers are shown, and
searched, only for those `can_see_commenter_details()` allows. Every decision goes through the
Comment methods, so it is logged and purges.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    ButtonsColumnMixin,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets import AdminPageChooser, Button, HeaderButton

from healthpress.articles.models import ArticlePage

from . import history
from .models import Comment, Status
from .moderators import can_see_commenter_details, is_moderator

NAMESPACE = "comments_admin"  # "comments" is the public app's namespace
BULK_ACTION_URL = "wagtail_bulk_action"

# The buttons on one comment's page.
SINGLE_ACTIONS = {
    "approve": ("approved", lambda c, user: c.approve(by=user, via="admin")),
    "reject": ("rejected", lambda c, user: c.reject(by=user, via="admin")),
    "spam": ("marked as spam", lambda c, user: c.mark_spam(by=user, via="admin")),
}


def forbidden(request):
    # A 403 response, not PermissionDenied: Wagtail's admin would turn that into a redirect.
    return TemplateResponse(request, "comments/admin/forbidden.html", status=403)


def moderators_only(view):
    def wrapped(request, *args, **kwargs):
        if not is_moderator(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


class ModeratorsOnlyMixin:
    """moderators_only for class-based views (the listing, the bulk actions)."""

    def dispatch(self, request, *args, **kwargs):
        if not is_moderator(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def listing_url():
    return reverse(f"{NAMESPACE}:index")


def bulk_action_url(action):
    return reverse(
        BULK_ACTION_URL, args=[Comment._meta.app_label, Comment._meta.model_name, action]
    )


# The listing ------------------------------------------------------------------------------------


def articles_with_comments(request):
    return ArticlePage.objects.filter(comments__isnull=False).distinct().order_by("title")


class ArticleChooser(AdminPageChooser):
    """The article filter as Wagtail's page chooser rather than a list of every article with
    comments: that list grew with the site (one <option> per article, 1.4 s for the listing at
    20,000 articles, docs/performance.md). The chosen article is still checked against
    `articles_with_comments`."""

    def __init__(self, **kwargs):
        super().__init__(target_models=[ArticlePage], can_choose_root=False, **kwargs)


class CommentFilterSet(WagtailFilterSet):
    # Initial "pending": what a moderator opens the page for, so it is not shown as a filter
    # someone chose; "Any status" (status=) lists everything.
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Status.choices,
        empty_label="Any status",
        widget=forms.RadioSelect,
        initial=Status.PENDING,
    )
    article = django_filters.ModelChoiceFilter(
        label="Article", queryset=articles_with_comments, widget=ArticleChooser
    )
    # date_from / date_to in the URL, as before the listing moved to Wagtail's.
    date = django_filters.DateFromToRangeFilter(
        label="Posted", field_name="created_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = Comment
        fields = ["status", "article", "date"]


def listing_params(query):
    """The listing's query with the pending default filled in."""
    params = query.copy()
    if "status" not in params:
        params["status"] = Status.PENDING
    return params


def search_fields_for(user):
    # Without the permission the search box must not answer "does this address comment
    # here?", so it does not look at addresses at all.
    return ["body", "name", "email"] if can_see_commenter_details(user) else ["body", "name"]


def listed_comments(request, queryset):
    """The comments the listing at this request's query shows, on every page: what "select all
    in listing" acts on (bulk_actions.py), so a filtered listing never reaches other comments."""
    filters = CommentFilterSet(listing_params(request.GET), queryset=queryset, request=request)
    if filters.is_valid():
        queryset = filters.qs
    text = request.GET.get("q", "").strip()
    if text:
        matches = Q()
        for field in search_fields_for(request.user):
            matches |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(matches)
    return queryset


class CommentColumn(ButtonsColumnMixin, TitleColumn):
    """The commenter's name (linking to the comment's page), the text in full, and for those
    allowed, the address and network."""

    # ButtonsColumnMixin is not in Wagtail's documented API, and none gives the row's "More"
    # buttons to a title column with a cell template of its own: Wagtail's IndexView adds this
    # same mixin to its own title column (IndexView._get_title_column_class). If it changes,
    # tests/comments/test_admin_listing.py (each row offers the decisions) fails.

    cell_template_name = "comments/admin/comment_cell.html"

    def __init__(self, *args, buttons_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.buttons_for = buttons_for

    def get_buttons(self, instance, parent_context):
        return self.buttons_for(instance)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["show_details"] = can_see_commenter_details(parent_context["request"].user)
        return context


def status_text(comment):
    if comment.status_changed_by:
        return f"{comment.get_status_display()} by {comment.status_changed_by.get_username()}"
    return comment.get_status_display()


class CommentIndexView(ModeratorsOnlyMixin, IndexView):
    """Newest first, pending by default; the moderation decisions are bulk actions, and each
    row's "More" menu offers the same for that comment alone."""

    filterset_class = CommentFilterSet
    search_backend_name = None  # the database's own matching: comments are not indexed
    default_ordering = "-created_at"
    page_title = "Comments"

    @property
    def search_fields(self):
        return search_fields_for(self.request.user)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "data": listing_params(self.request.GET)}

    def get_base_queryset(self):
        return Comment.objects.select_related("article", "parent", "status_changed_by")

    def order_queryset(self, queryset):
        # The primary key breaks ties, so a page boundary never repeats or skips a comment.
        ordering = self.ordering or self.default_ordering
        return queryset.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="comment"),
            CommentColumn(
                "name",
                label="Comment",
                sort_key="name",
                get_url=lambda comment: reverse("comments_detail", args=[comment.pk]),
                get_title_id=lambda comment: f"comment_{comment.pk}_title",
                buttons_for=self.get_list_buttons,
            ),
            TitleColumn(
                "article",
                label="Article",
                accessor="article.title",
                sort_key="article__title",
                get_url=lambda comment: comment.article.url,
            ),
            Column("status", label="Status", accessor=status_text, sort_key="status"),
            DateColumn("created_at", label="Posted", sort_key="created_at"),
        ]

    def get_edit_url(self, instance):
        return reverse("comments_detail", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        # The same confirmation and the same code as the bulk action, for this comment alone.
        query = "?" + urlencode({"id": instance.pk, "next": self.request.get_full_path()})
        actions = [
            ("Approve", "approve", "check"),
            ("Reject", "reject", "cross"),
            ("Mark as spam", "spam", "warning"),
            ("Delete", "delete", "bin"),
        ]
        return [
            Button(
                "Details and history",
                url=self.get_edit_url(instance),
                icon_name="doc-full",
                priority=10,
            ),
            *(
                Button(label, url=bulk_action_url(action) + query, icon_name=icon, priority=n)
                for n, (label, action, icon) in enumerate(actions, start=20)
            ),
        ]

    def get_page_subtitle(self):
        return f"{Comment.objects.pending().count()} pending"

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                "Blocklist",
                url=reverse("wagtailsnippets_comments_blockedterm:list"),
                icon_name="warning",
            )
        ]


# One comment ------------------------------------------------------------------------------------


@moderators_only
@require_http_methods(["GET", "POST"])
def comment_detail(request, pk):
    """One comment, its history and the buttons to decide it; the digest email links here. A
    decision is a POST with Django's CSRF token, then back to the comments still pending."""
    comment = get_object_or_404(Comment.objects.select_related("article", "parent"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in SINGLE_ACTIONS:
            messages.error(request, "Choose approve, reject or mark as spam.")
            return redirect("comments_detail", pk=comment.pk)
        label, apply = SINGLE_ACTIONS[action]
        if apply(comment, request.user):
            messages.success(request, f"Comment by {comment.name} {label}.")
        else:
            messages.warning(
                request,
                f"Comment by {comment.name} was already {comment.get_status_display().lower()}; "
                "nothing changed.",
            )
        return redirect(listing_url())
    return TemplateResponse(
        request,
        "comments/admin/detail.html",
        {
            "comment": comment,
            "log": history.entries_for(comment),
            "show_details": can_see_commenter_details(request.user),
        },
    )
