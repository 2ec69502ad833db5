"""The "Reviews due" admin report: live articles whose medical review is overdue, due within
30 days, or was never done (published by an administrator or from the command line without one:
"Not medically reviewed", listed first). Editors plan reviews from it (Reports → Reviews due)."""

from django.utils import timezone
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .review import DUE_SOON_DAYS, review_status, reviews_due

STATUS_LABELS = {
    "never": "Not medically reviewed",
    "overdue": "Overdue",
    "due_soon": f"Due within {DUE_SOON_DAYS} days",
    "current": "Current",
}


# Person.display_name: the name and the credentials.
PERSON_SHOWN = ("name", "credentials")


class ReviewsDueView(ReportView):
    page_title = "Reviews due"
    header_icon = "time"
    template_name = "articles/reports/reviews_due.html"
    results_template_name = "articles/reports/reviews_due_results.html"
    index_url_name = "reviews_due"
    index_results_url_name = "reviews_due_results"
    list_export = ["title", "author", "reviewer", "last_reviewed", "next_review_due", "status"]
    export_headings = {
        "title": "Article",
        "author": "Author",
        "reviewer": "Last reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Review due",
        "status": "Status",
    }
    # Anyone who may edit pages plans reviews; the report shows no private data. Without a
    # policy Wagtail checks nothing, and any admin user could open it by its address.
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]

    # What a row shows and exports: a report of 100,000 articles never reviewed sorts them all
    # by title, and with every column (the body too) that took twice as long on PostgreSQL
    # (620 -> 300 ms at 100,000 articles, docs/performance.md).
    SHOWN = (
        "title",
        "last_reviewed",
        "next_review_due",
        *(f"{person}__{field}" for person in ("author", "reviewer") for field in PERSON_SHOWN),
    )

    def get_queryset(self):
        return reviews_due().only(*self.SHOWN)

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for article in object_list:
            article.status = STATUS_LABELS[review_status(article, today)]
        return object_list
