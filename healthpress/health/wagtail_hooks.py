"""Wagtail hooks of the article-health app, every one of them here.

On the site: "Was this page helpful?" and the article's `feedback` query parameter, accepted in
the spellings our redirects write only (feedback.read_state), so the page cache keeps one copy of
each thank-you state and no other (core/canonical_params.py).

In the admin: the Article health report (report_views.py) in the Reports menu and its URLs, the
missing-notes permission in the Groups editor, the dashboard panel (dashboard.py), and the page
editor's reading-level warning. ArticlePage's panels belong to the articles app, which sits below
this one and cannot import it, and Wagtail 8 has no hook that adds a panel or a side panel to
another app's page type (the edit view builds its side panels itself, and the Checks panel's
content checks run in the browser on the preview). What Wagtail does offer every app is
`before_edit_page`, so on opening the editor the draft being edited (Wagtail hands the hook the
latest revision) is measured and, above READING_GRADE_TARGET, a warning stands at the top of the
editor, for the writer and for the reviewer who opens the article from their review task.
Below the target the editor stays quiet; the report shows every article's figure.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from healthpress.articles.models import ArticlePage
from healthpress.core.canonical_params import canonical_redirect

from . import readability
from .dashboard import ArticleHealthPanel
from .feedback import PARAM, read_state
from .report_views import (
    NOTES_PERMISSION,
    ArticleHealthDetailView,
    ArticleHealthView,
    may_see_report,
)


def reading_level_warning(grade, share):
    return (
        f"Reading grade {grade:.1f} is above the target {settings.READING_GRADE_TARGET:g} "
        f"({share:.0%} of sentences are over {readability.LONG_SENTENCE_WORDS} words): "
        "shorter sentences and everyday words help."
    )


@hooks.register("before_edit_page")
def warn_about_reading_level(request, page):
    if request.method != "GET" or not isinstance(page, ArticlePage):
        return None
    grade, share, words = readability.measure(page)
    if words and grade > settings.READING_GRADE_TARGET:
        messages.warning(request, reading_level_warning(grade, share))
    return None


@hooks.register("register_admin_urls")
def register_article_health_urls():
    return [
        path("reports/article-health/", ArticleHealthView.as_view(), name="article_health"),
        path(
            "reports/article-health/results/",
            ArticleHealthView.as_view(results_only=True),
            name="article_health_results",
        ),
        path(
            "reports/article-health/<int:pk>/",
            ArticleHealthDetailView.as_view(),
            name="article_health_detail",
        ),
    ]


class ArticleHealthMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_report(request.user)


@hooks.register("register_reports_menu_item")
def register_article_health_menu_item():
    return ArticleHealthMenuItem(
        "Article health",
        reverse("article_health"),
        name="article-health",
        icon_name="clipboard-list",
        order=1060,
    )


@hooks.register("register_permissions")
def missing_notes_permission():
    """Listed under "Missing note" in Settings → Groups: who may read readers' "What was
    missing?" texts on the article health detail view."""
    app_label, codename = NOTES_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register("register_page_query_params")
def feedback_params(page):
    return (PARAM,) if isinstance(page, ArticlePage) else ()


# Inside Wagtail's view-restriction check (order 0), as core/wagtail_hooks.py explains.
@hooks.register("on_serve_page", order=10)
def canonical_feedback_urls(serve):
    """A 404 for an article URL whose `feedback` value is not one of the states."""

    def checked(page, request, serve_args, serve_kwargs):
        if PARAM in request.GET and isinstance(page, ArticlePage):
            redirect = canonical_redirect(request, lambda: read_state(request.GET))
            if redirect is not None:
                return redirect
        return serve(page, request, serve_args, serve_kwargs)

    return checked


@hooks.register("construct_homepage_panels")
def add_article_health_panel(request, panels):
    if may_see_report(request.user):
        panels.append(ArticleHealthPanel())
