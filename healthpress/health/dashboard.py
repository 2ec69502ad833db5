"""The dashboard's "Article health" panel: live articles with a problem a writer fixes (broken or
moved references, helpful to too few readers, reading grade above target), the worst first, each
a link to its detail view in the Article health report, which says what is wrong and where it is
fixed.

Shown to whoever may see the report (report_views.may_see_report). An overdue review is a
problem of the report too, but the "Reviews due" panel (articles/dashboard.py) lists those.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from healthpress.core.dashboard import LIMIT, DashboardPanel, Item, plural

from .models import Readability
from .report import (
    article_health,
    bad_reference_articles,
    feedback_since,
    low_helpful_articles,
    vote_totals,
    with_problems,
)

SHOWN = ["bad_references", "low_helpful", "above_target"]


def worst_first(rows):
    """A broken reference misleads readers now; then the least helpful, then the hardest."""
    return rows.order_by(
        F("ref_problems").desc(),
        F("low_helpful").desc(),
        F("helpful_pct").asc(nulls_last=True),
        F("grade").desc(nulls_last=True),
        "pk",
    )


def worst_candidates(today):
    """The ids of the articles among which worst_first's first LIMIT rows are, as one subquery,
    so that only those articles' figures are computed (most of a large site is above the
    reading grade target): those with a broken or moved reference and the unhelpful ones (all
    of them rank before the rest), those above the target with votes (ranked by their votes
    next), and the LIMIT hardest, which come first of those without votes. Every article ranked
    before one of the set is in the set too, so the first LIMIT rows of the set are the first
    LIMIT rows of all (tests/core/test_dashboard.py compares both)."""
    target = settings.READING_GRADE_TARGET
    since_day = feedback_since(today)
    # From the votes (few articles have them), asking each its grade: SQLite would otherwise
    # start from the grades above the target (most articles) and look for votes on each.
    hard = Readability.objects.filter(article=OuterRef("article"), grade__gt=target)
    voted_hard = vote_totals(since_day).filter(Exists(hard), votes__gt=0).values("article")
    # From the grades down (their index, migration 0003), not a sort of every live article.
    hardest = (
        Readability.objects.filter(grade__gt=target, article__live=True)
        .order_by("-grade", "article")
        .values("article")[:LIMIT]
    )
    # One IN over a UNION: PostgreSQL then looks the few ids up, where an OR of four INs has it
    # read every article. SQLite takes no LIMIT in a UNION's parts: the hardest are an IN there.
    return bad_reference_articles().union(
        low_helpful_articles(since_day),
        voted_hard,
        Readability.objects.filter(article__in=hardest).values("article"),
    )


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
        today = timezone.localdate()
        rows = with_problems(article_health(today), SHOWN)
        count = rows.count()
        worst = worst_first(rows.filter(pk__in=worst_candidates(today)))[:LIMIT]
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
