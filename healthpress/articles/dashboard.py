"""The dashboard's "Reviews due" panel: live articles whose medical review is overdue, due within
DUE_SOON_DAYS days, or was never done, with the most pressing first (never reviewed, then the
longest overdue), each a link to the article's editor.

Shown (by wagtail_hooks.py) to the people the "Reviews due" report is for: anyone who may add,
change or publish pages (editors, medical reviewers, administrators), asked through the report's
own permission policy.

Articles waiting in the Medical review workflow for the current user are Wagtail's own panel,
"Awaiting your review" (WorkflowObjectsToModeratePanel), which the dashboard already shows to
each reviewer whose task is waiting: it has the approve and request-changes actions a second
panel would only copy.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from healthpress.core.dashboard import LIMIT, DashboardPanel, Item, plural

from .reports import STATUS_LABELS, ReviewsDueView
from .review import DUE_SOON_DAYS, review_status, reviews_due


def may_plan_reviews(user):
    return ReviewsDueView.permission_policy.user_has_any_permission(
        user, ReviewsDueView.any_permission_required
    )


class ReviewsDuePanel(DashboardPanel):
    name = "reviews_due"
    order = 230
    heading = "Reviews due"
    icon = "time"
    template_name = "articles/admin/dashboard_reviews.html"
    empty_text = f"No live article is due for review in the next {DUE_SOON_DAYS} days."

    def figures(self, request):
        today = timezone.localdate()
        due = reviews_due(today)
        never = Q(next_review_due__isnull=True) | Q(last_reviewed__isnull=True)
        counts = due.order_by().aggregate(
            count=Count("pk"),
            never=Count("pk", filter=never),
            overdue=Count("pk", filter=~never & Q(next_review_due__lt=today)),
        )
        # The never reviewed first (by title), then the dated ones (soonest first): two queries,
        # each of which an index can answer (of the titles; of the due dates) without sorting
        # every live article, as the one ordered query did (docs/performance.md).
        # (reviews_due's order among the never reviewed, all with no date: by title alone, so
        # that PostgreSQL can read them from an index of the titles.)
        never_due = due.filter(next_review_due__isnull=True).order_by("title")[:LIMIT]
        dated = due.filter(next_review_due__isnull=False)[:LIMIT]
        items = []
        for article in [*never_due, *dated][:LIMIT]:
            status = review_status(article, today)
            notes = [STATUS_LABELS[status]]
            if article.next_review_due:
                notes.append(f"due {format_date(article.next_review_due, 'j M Y')}")
            if article.reviewer:
                notes.append(f"last reviewed by {article.reviewer.display_name}")
            items.append(
                Item(
                    label=article.title,
                    url=reverse("wagtailadmin_pages:edit", args=[article.pk]),
                    notes=notes,
                    tag="Overdue" if status == "overdue" else "",
                )
            )
        count = counts["count"]
        soon = count - counts["never"] - counts["overdue"]
        summary = (
            f"{plural(counts['overdue'], 'article')} overdue, {counts['never']} never reviewed, "
            f"{soon} due within {DUE_SOON_DAYS} days."
            if count
            else ""
        )
        return {
            "count": count,
            "summary": summary,
            "items": items,
            "links": [(reverse("reviews_due"), "All reviews due")],
        }
