"""Reports → Article health: the listing (Wagtail's ReportView: its filters, sortable columns
and CSV/XLSX export) and one detail view per article.

Who sees what:
- the report and the detail views: anyone who may add, change or publish pages (editors,
  medical reviewers, administrators), the people who act on it; everyone else gets 403;
- the texts readers wrote under "What was missing?" (health data in their own words): only
  users with the "Can view missing note" permission (superusers; an administrator may give it to
  a group in Settings → Groups). Others see how many there are, not what they say.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from healthpress.articles.models import ArticlePage
from healthpress.core.models import TopicPage, in_id_order

from .models import FeedbackDay, MissingNote, Readability, ReferenceCheck
from .report import (
    LOW_HELPFUL_PERCENT,
    MIN_VOTES,
    PROBLEMS,
    article_health,
    describe,
    with_problems,
)

PAGE_PERMISSIONS = ["add", "change", "publish"]
NOTES_PERMISSION = "health.view_missingnote"
LATEST_NOTES = 50


def may_see_report(user):
    return PagePermissionPolicy().user_has_any_permission(user, PAGE_PERMISSIONS)


def may_read_notes(user):
    return user.has_perm(NOTES_PERMISSION)


def detail_url(row):
    return reverse("article_health_detail", args=[row.pk])


def edit_url(row):
    return reverse("wagtailadmin_pages:edit", args=[row.pk])


class ArticleHealthFilterSet(WagtailFilterSet):
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        queryset=TopicPage.objects.order_by("title"),
        method="filter_topic",
        empty_label="All topics",
    )
    problem = django_filters.MultipleChoiceFilter(
        label="Problem",
        choices=list(PROBLEMS.items()),
        method="filter_problem",
        widget=forms.CheckboxSelectMultiple,
    )

    def filter_topic(self, queryset, name, value):
        return queryset.child_of(value)

    def filter_problem(self, queryset, name, value):
        return with_problems(queryset, value)

    class Meta:
        model = ArticlePage
        fields = []


class HealthColumn(Column):
    """A figure; when it is a problem (the row's `problem` flag), a link to where it is fixed."""

    cell_template_name = "health/admin/health_cell.html"

    def __init__(self, name, *, problem=None, fix_url=None, fix_label="", **kwargs):
        super().__init__(name, **kwargs)
        self.problem, self.fix_url, self.fix_label = problem, fix_url, fix_label

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        is_problem = bool(self.problem and getattr(instance, self.problem))
        context["is_problem"] = is_problem
        context["fix_url"] = self.fix_url(instance) if is_problem and self.fix_url else None
        context["fix_label"] = self.fix_label
        return context


def percent(row):
    return None if row.helpful_pct is None else f"{row.helpful_pct:.0f}%"


def grade(row):
    return None if row.grade is None else f"{row.grade:.1f}"


def references(row):
    if not row.reference_count:
        return "None"
    if row.ref_problems:
        return f"{row.reference_count} ({row.ref_broken} broken, {row.ref_moved} moved)"
    return str(row.reference_count)


def review(row):
    if row.next_review_due:
        return f"{row.review_label}, due {row.next_review_due:%-d %b %Y}"
    return row.review_label


class ArticleHealthView(ReportView):
    page_title = "Article health"
    header_icon = "clipboard-list"
    index_url_name = "article_health"
    index_results_url_name = "article_health_results"
    template_name = "health/admin/article_health.html"
    filterset_class = ArticleHealthFilterSet
    default_ordering = "title"
    export_filename = "article-health"
    permission_policy = PagePermissionPolicy()
    any_permission_required = PAGE_PERMISSIONS
    columns = [
        TitleColumn("title", label="Article", sort_key="title", get_url=detail_url, width="20%"),
        Column("topic_title", label="Topic"),
        HealthColumn(
            "helpful_pct",
            label="Helpful",
            accessor=percent,
            sort_key="helpful_pct",
            problem="low_helpful",
            fix_url=detail_url,
            fix_label="see the votes",
        ),
        Column("votes", label="Votes", sort_key="votes"),
        HealthColumn(
            "missing_count",
            label="What was missing",
            sort_key="missing_count",
            problem="missing",
            fix_url=lambda row: detail_url(row) + "#missing",
            fix_label="read the notes",
        ),
        HealthColumn(
            "grade",
            label="Reading grade",
            accessor=grade,
            sort_key="grade",
            problem="above_target",
            fix_url=edit_url,
            fix_label="edit the article",
        ),
        HealthColumn(
            "references",
            label="References",
            accessor=references,
            sort_key="ref_problems",
            problem="bad_references",
            fix_url=edit_url,
            fix_label="edit the references",
        ),
        HealthColumn(
            "review",
            label="Review",
            accessor=review,
            sort_key="next_review_due",
            problem="review_due",
            fix_url=edit_url,
            fix_label="open the article for review",
        ),
        Column("last_published_at", label="Last published", sort_key="last_published_at"),
    ]
    list_export = [
        "title",
        "topic_title",
        "helpful_pct",
        "votes",
        "votes_yes",
        "votes_no",
        "missing_count",
        "grade",
        "long_share",
        "reference_count",
        "ref_broken",
        "ref_moved",
        "review_label",
        "next_review_due",
        "last_published_at",
        "problems_text",
    ]
    export_headings = {
        "title": "Article",
        "topic_title": "Topic",
        "helpful_pct": "Helpful %",
        "votes": f"Votes ({settings.FEEDBACK_DAYS} days)",
        "votes_yes": "Yes",
        "votes_no": "No",
        "missing_count": "What was missing",
        "grade": "Reading grade",
        "long_share": "Long sentences (share)",
        "reference_count": "References",
        "ref_broken": "Broken references",
        "ref_moved": "Moved references",
        "review_label": "Review status",
        "next_review_due": "Review due",
        "last_published_at": "Last published",
        "problems_text": "Problems",
    }

    def get_base_queryset(self):
        return article_health()

    def order_queryset(self, queryset):
        """Missing figures (no votes, not yet measured, never reviewed) go last either way."""
        if not self.ordering:
            return queryset
        key = self.ordering.lstrip("-")
        # Never reviewed is the most urgent review: first when sorted by review due.
        nulls = {"nulls_first": True} if key == "next_review_due" else {"nulls_last": True}
        if self.ordering.startswith("-"):
            nulls = {"nulls_last": True}
            return queryset.order_by(F(key).desc(**nulls), "title", "pk")
        return queryset.order_by(F(key).asc(**nulls), "title", "pk")

    def paginate_queryset(self, queryset, page_size):
        """The page's articles chosen by a query of their ids alone, in the report's order, then
        their figures for those articles only: sorting every article with all its figures (as
        SQLite computes them before it sorts) took most of the report's time at 100,000."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        ids = list(object_list.values_list("pk", flat=True))
        page.object_list = in_id_order(article_health(), ids)
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        rows = describe(object_list)
        for row in rows:
            row.problems_text = "; ".join(row.problem_labels)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grade_target"] = settings.READING_GRADE_TARGET
        context["feedback_days"] = settings.FEEDBACK_DAYS
        context["low_helpful"] = LOW_HELPFUL_PERCENT
        context["min_votes"] = MIN_VOTES
        return context


class ArticleHealthDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One article's health: its figures, votes by day, what readers missed (to those allowed),
    and each reference's last check."""

    template_name = "health/admin/article_health_detail.html"
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_report(request.user):
            raise PermissionDenied
        self.row = get_object_or_404(article_health(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "Article health"

    def get_page_subtitle(self):
        return self.row.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("article_health"), "label": "Article health"},
            {"url": "", "label": self.row.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = describe([self.row])[0]
        article = row.pk
        since = timezone.localdate() - timedelta(days=settings.FEEDBACK_DAYS - 1)
        notes_allowed = may_read_notes(self.request.user)
        context.update(
            row=row,
            edit_url=edit_url(row),
            grade_target=settings.READING_GRADE_TARGET,
            feedback_days=settings.FEEDBACK_DAYS,
            days=FeedbackDay.objects.filter(article=article, day__gte=since).order_by("-day"),
            notes_allowed=notes_allowed,
            notes=(
                MissingNote.objects.filter(
                    article=article,
                    created_at__gte=timezone.now() - timedelta(days=settings.FEEDBACK_DAYS),
                )[:LATEST_NOTES]
                if notes_allowed
                else []
            ),
            latest_notes=LATEST_NOTES,
            checks=ReferenceCheck.objects.filter(article=article).order_by("outcome", "url"),
            readability=Readability.objects.filter(article=article).first(),
        )
        return context
