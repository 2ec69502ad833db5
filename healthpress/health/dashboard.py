"""The dashboard's "Article health" panel: live articles with a problem a writer fixes (broken or
moved references, helpful to too few readers, reading grade above target), the worst first, each
a link to its detail view in the Article health report, which says what is wrong and where it is
fixed.

Shown to whoever may see the report (report_views.may_see_report). An overdue review is a
problem of the report too, but the "Reviews due" panel (articles/dashboard.py) lists those.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from healthpress.core.dashboard import LIMIT, DashboardPanel, Item, plural

from .report import article_health, with_problems

SHOWN = ["bad_references", "low_helpful", "above_target"]


def problems(row):
    """The row's problems in words, with the figure that makes each one."""
    notes = []
    if row.bad_references:
        notes.append(f"references: {row.ref_broken} broken, {row.ref_moved} moved")
    if row.low_helpful:
        notes.append(f"helpful to {row.helpful_pct:.0f}% of {row.votes} readers")
    if row.above_target:
        notes.append(f"reading grade {row.grade:.1f}, target {settings.READING_GRADE_TARGET:g}")
    return notes


def filtered_report_url():
    return reverse("article_health") + "?" + urlencode([("problem", key) for key in SHOWN])


class ArticleHealthPanel(DashboardPanel):
    name = "article_health"
    order = 240
    heading = "Article health"
    icon = "clipboard-list"
    template_name = "health/admin/dashboard_health.html"
    empty_text = "No live article has broken references, low helpfulness or a high reading grade."

    def figures(self, request):
        rows = with_problems(article_health(), SHOWN)
        count = rows.count()
        # A broken reference misleads readers now; then the least helpful, then the hardest.
        worst = rows.order_by(
            F("ref_problems").desc(),
            F("low_helpful").desc(),
            F("helpful_pct").asc(nulls_last=True),
            F("grade").desc(nulls_last=True),
            "pk",
        )[:LIMIT]
        items = [
            Item(
                label=row.title,
                url=reverse("article_health_detail", args=[row.pk]),
                notes=problems(row),
            )
            for row in worst
        ]
        return {
            "count": count,
            "summary": f"{plural(count, 'live article')} with a problem to fix, the worst first."
            if count
            else "",
            "items": items,
            "links": [(filtered_report_url(), "All articles with these problems")],
        }
