"""Admin integration for medical review: the "Reviews due" report, and the rule that an article
is published through review rather than directly."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import dashboard  # noqa: F401  (registers its homepage panel)
from .models import ArticlePage
from .reports import ReviewsDueView


@hooks.register("live_articles")
def live_articles():
    """What core's listings (home, topics, authors, feeds) show: live, public articles, newest
    first, with their authors."""
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("author")
        .order_by("-first_published_at", "pk")
    )


@hooks.register("register_admin_urls")
def register_reviews_due_urls():
    return [
        path("reports/reviews-due/", ReviewsDueView.as_view(), name="reviews_due"),
        path(
            "reports/reviews-due/results/",
            ReviewsDueView.as_view(results_only=True),
            name="reviews_due_results",
        ),
    ]


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item():
    return ReviewsDueMenuItem(
        "Reviews due", reverse("reviews_due"), name="reviews-due", icon_name="time", order=1050
    )


@hooks.register("before_publish_page")
def publish_articles_through_review(request, page):
    """Only administrators may publish an article directly (e.g. to fix a typo); everyone else
    submits it and a medical reviewer's approval publishes it. The edit is kept as a draft."""
    if isinstance(page.specific, ArticlePage) and not request.user.is_superuser:
        messages.error(
            request,
            "Articles are published by medical review. Your changes are saved as a draft: "
            "submit them for review.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
