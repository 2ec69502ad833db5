"""Admin integration for medical review: the "Reviews due" report, the permission to take an
article down, the log of operators' publications, and the two admin paths that ask a topic rather
than the article whether it may be published (publishing.py holds the rule itself), and the
"Reviews due" dashboard panel."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from .dashboard import ReviewsDuePanel, may_plan_reviews
from .models import ArticlePage
from .publishing import (
    OPERATOR_PUBLISH,
    UNPUBLISH_PERMISSION,
    OperatorPublishFormatter,
    may_publish_articles,
)
from .reports import ReviewsDueView


def lead_images_with_renditions():
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    return Prefetch("lead_image", queryset=get_image_model().objects.prefetch_renditions())


@hooks.register("live_articles")
def live_articles():
    """What core's listings (home, topics, authors, feeds) show: live, public articles, newest
    first, with their authors."""
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("author")
        # Cards, feeds and emails show the lead image: two queries for a whole listing.
        .prefetch_related(lead_images_with_renditions())
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


@hooks.register("before_create_page")
def create_articles_as_drafts(request, parent_page, page_class):
    """Creating and publishing in one go asks the topic (`can_publish_subpage`), not the article,
    and Wagtail's create view saves the new page, live, before its publish action asks the
    article's rule; a refusal there would leave a live page behind. So the publish button is
    turned into Save draft here, before anything is saved, for whoever the article's rule does
    not let publish; the article waits, as a draft, to be submitted for review."""
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and issubclass(page_class, ArticlePage)
        and not may_publish_articles(request.user)
    ):
        request.POST = request.POST.copy()
        del request.POST["action-publish"]
        messages.warning(
            request,
            "Articles are published by medical review: this one is saved as a draft. Submit it "
            "for review.",
        )
    return None


@hooks.register("before_copy_page")
def copy_articles_as_drafts(request, page):
    """A copy made with "Publish copies" goes live without passing through any publish check of
    the copied article (Wagtail asks whether the destination topic may take published pages).
    Refused, with the form shown again, when a live article would be copied live by someone its
    tester does not let publish it; the same copy as a draft is fine."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    articles = ArticlePage.objects.live()
    if request.POST.get("copy_subpages"):
        articles = articles.descendant_of(page, inclusive=True)
    else:
        articles = articles.filter(pk=page.pk)
    if any(not article.permissions_for_user(request.user).can_publish() for article in articles):
        messages.error(
            request,
            "Articles are published by medical review: copy them without "
            "“Publish copies”, then submit the copies for review.",
        )
        return redirect(request.get_full_path())
    return None


@hooks.register("register_permissions")
def take_down_permission():
    """Listed under "Article" in Settings → Groups, so an administrator can let a group take
    articles down at once (the "Medical reviewers" group has it from migration 0005)."""
    app_label, codename = UNPUBLISH_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register("register_log_actions")
def register_operator_publish(actions):
    actions.register_action(OPERATOR_PUBLISH)(OperatorPublishFormatter)


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request, panels):
    if may_plan_reviews(request.user):
        panels.append(ReviewsDuePanel())
