"""Moderation in the Wagtail admin: one listing with filters, search and bulk actions, and one
page per comment (the digest email links there) with its own buttons.

Only moderators (the "Moderators" group, or superusers) may see or act; anyone else who reaches
these URLs gets 403, and a visitor who is not signed in is sent to Wagtail's sign-in. Commenters'
email addresses, networks and browsers are shown, and searched, only for those
`can_see_commenter_details()` allows. Every decision goes through the Comment methods, so it is
logged and purges.
"""

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .models import Comment, Status
from .moderators import can_see_commenter_details, is_moderator

PER_PAGE = 50
BULK_ACTIONS = {
    "approve": ("approved", lambda c, user: c.approve(by=user, via="admin bulk")),
    "reject": ("rejected", lambda c, user: c.reject(by=user, via="admin bulk")),
    "spam": ("marked as spam", lambda c, user: c.mark_spam(by=user, via="admin bulk")),
    "delete": ("deleted", lambda c, user: c.remove(by=user, via="admin bulk") or True),
}
# The buttons on one comment's page.
SINGLE_ACTIONS = {
    "approve": ("approved", lambda c, user: c.approve(by=user, via="admin")),
    "reject": ("rejected", lambda c, user: c.reject(by=user, via="admin")),
    "spam": ("marked as spam", lambda c, user: c.mark_spam(by=user, via="admin")),
}


def moderators_only(view):
    def wrapped(request, *args, **kwargs):
        # A 403 response, not PermissionDenied: Wagtail's admin would turn that into a redirect.
        if not is_moderator(request.user):
            return TemplateResponse(request, "comments/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


class CommentFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Status.choices], label="Status"
    )
    article = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Article")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, with_personal_details=False, **kwargs):
        super().__init__(*args, **kwargs)
        from healthpress.articles.models import ArticlePage

        # Without the permission the search box must not answer "does this address comment
        # here?", so it does not look at addresses at all.
        self.with_personal_details = with_personal_details
        self.fields["q"].help_text = (
            "Text, name or email" if with_personal_details else "Text or name"
        )

        with_comments = ArticlePage.objects.filter(comments__isnull=False).distinct()
        self.fields["article"].choices = [("", "Any article")] + [
            (a.pk, a.title) for a in with_comments.order_by("title").only("pk", "title")
        ]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            q = data["q"]
            matches = Q(body__icontains=q) | Q(name__icontains=q)
            if self.with_personal_details:
                matches |= Q(email__icontains=q)
            queryset = queryset.filter(matches)
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["article"]:
            queryset = queryset.filter(article_id=data["article"])
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            start = datetime.combine(data["date_from"], time.min, tzinfo=zone)
            queryset = queryset.filter(created_at__gte=start)
        if data["date_to"]:
            end = datetime.combine(data["date_to"], time.max, tzinfo=zone)
            queryset = queryset.filter(created_at__lte=end)
        return queryset


@moderators_only
def comment_list(request):
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Status.PENDING  # what a moderator opens the page for
    show_details = can_see_commenter_details(request.user)
    filters = CommentFilterForm(params, with_personal_details=show_details)
    comments = filters.filter(
        Comment.objects.select_related("article", "parent", "status_changed_by")
    ).order_by("-created_at", "-pk")
    page = Paginator(comments, PER_PAGE).get_page(request.GET.get("p"))
    query = params.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "comments/admin/list.html",
        {
            "filters": filters,
            "page_obj": page,
            "comments": page.object_list,
            "query": query.urlencode(),
            "actions": [
                (key, key.title() if key != "spam" else "Mark as spam") for key in BULK_ACTIONS
            ],
            "pending_count": Comment.objects.pending().count(),
            "show_details": show_details,
        },
    )


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
        return redirect("comments_list")
    return TemplateResponse(
        request,
        "comments/admin/detail.html",
        {
            "comment": comment,
            "log": comment.log.select_related("user"),
            "show_details": can_see_commenter_details(request.user),
        },
    )


@moderators_only
@require_POST
def bulk_action(request):
    action = request.POST.get("action")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    back = request.POST.get("next") or ""
    if not back.startswith("/admin/comments/"):
        back = "/admin/comments/"
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, "Choose at least one comment and an action.")
        return redirect(back)
    label, apply = BULK_ACTIONS[action]
    changed = sum(
        1 for comment in Comment.objects.filter(pk__in=ids) if apply(comment, request.user)
    )
    messages.success(request, f"{changed} comment{'s' if changed != 1 else ''} {label}.")
    return redirect(back)
