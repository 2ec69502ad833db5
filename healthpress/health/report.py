"""The Article health report's rows: every live article with its readers' votes, what they
missed, its reading grade, its references' checks and its review status, and the problems they
add up to. One service, used by the report, its CSV and each article's detail view.

The figures are annotations on one query of live articles (subqueries per signal, not a query
per row), so a page of the report costs the same few queries for 50 articles or 5,000. Each
problem is a boolean annotation, defined once here: the report's problem filter and its
highlighted cells read the same rule.

Each problem's rule reads the health tables once for the whole query (`pk IN` the articles that
have it, the reading grade through its join), never the per-article figures: counting or
filtering the articles with a problem costs one pass over the live articles, not five subqueries
for each of them (1-1.5 s at 100,000 articles; docs/performance.md, "Admin at 100,000 articles").
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from healthpress.articles.models import ArticlePage
from healthpress.articles.reports import STATUS_LABELS
from healthpress.articles.review import due_q, review_status
from healthpress.core.models import TopicPage
from healthpress.core.tree import children_q

from .models import FeedbackDay, MissingNote, ReferenceCheck

# An article is "low helpful" when fewer than LOW_HELPFUL_PERCENT of its votes say Yes, once it
# has MIN_VOTES votes: two No votes out of three say too little about an article.
LOW_HELPFUL_PERCENT = 50
MIN_VOTES = 5

PROBLEMS = {
    "low_helpful": f"Helpful to fewer than {LOW_HELPFUL_PERCENT}% of readers",
    "above_target": "Reading grade above target",
    "bad_references": "Broken or moved references",
    "review_due": "Review due or overdue",
    "missing": "Readers said something was missing",
}


def _count(queryset):
    """A subquery counting `queryset`'s rows for the outer article (0 when none)."""
    counted = queryset.order_by().values("article").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sum(queryset, field):
    summed = queryset.order_by().values("article").annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


def _flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def topic_title():
    """The title of the topic each article sits under, in one CASE on the article's own place in
    the tree: a child of the topic has a path in the topic's range, one level down (core/tree.py,
    Wagtail's child_of() as a range). No subquery: a list of each topic's pages took PostgreSQL
    150 ms to build at 100,000 articles, for every query of the report. One query reads the
    topics."""
    whens = [
        When(children_q(topic), then=Value(topic.title))
        for topic in TopicPage.objects.only("title", "path", "depth")
    ]
    if not whens:
        return Value(None, output_field=CharField())
    return Case(*whens, default=Value(None), output_field=CharField())


def feedback_since(today):
    """The first day whose votes count: the last FEEDBACK_DAYS days, today included."""
    return today - timedelta(days=settings.FEEDBACK_DAYS - 1)


def vote_totals(since_day):
    """Votes since `since_day` per article: `article`, `yes_votes` and `votes` (Yes and No)."""
    return (
        FeedbackDay.objects.filter(day__gte=since_day)
        .order_by()
        .values("article")
        .annotate(yes_votes=Sum("yes"), votes=Sum("yes") + Sum("no"))
    )


def helpful_share(yes, votes):
    """The share of Yes votes in percent, as the report shows and sorts it."""
    return Cast(yes, FloatField()) * Value(100.0) / F(votes)


def low_helpful_articles(since_day):
    """Ids of the articles with at least MIN_VOTES votes, fewer than LOW_HELPFUL_PERCENT% of
    them Yes: `helpful_pct < LOW_HELPFUL_PERCENT`, in whole numbers."""
    return (
        vote_totals(since_day)
        .alias(yes_percent=F("yes_votes") * 100)
        .filter(votes__gte=MIN_VOTES, yes_percent__lt=F("votes") * LOW_HELPFUL_PERCENT)
        .values("article")
    )


def bad_reference_articles():
    """Ids of the articles with a broken or moved reference."""
    outcomes = [ReferenceCheck.Outcome.BROKEN, ReferenceCheck.Outcome.MOVED]
    return ReferenceCheck.objects.filter(outcome__in=outcomes).values("article")


def article_health(today=None):
    """Live articles annotated with:

    votes_yes, votes_no, votes, helpful_pct (None without votes) -- the last FEEDBACK_DAYS days;
    missing_count -- "what was missing" notes in those days; grade, long_share (None until the
    article is published once with this app installed); ref_broken, ref_moved, ref_problems --
    its reference checks; topic_title; and one boolean per PROBLEMS key.
    """
    today = today or timezone.localdate()
    since_day = feedback_since(today)
    since = timezone.now() - timedelta(days=settings.FEEDBACK_DAYS)
    days = FeedbackDay.objects.filter(article=OuterRef("pk"), day__gte=since_day)
    recent_notes = MissingNote.objects.filter(created_at__gte=since)
    notes = recent_notes.filter(article=OuterRef("pk"))
    checks = ReferenceCheck.objects.filter(article=OuterRef("pk"))
    return (
        ArticlePage.objects.live()
        .defer("body")
        .annotate(
            votes_yes=_sum(days, "yes"),
            votes_no=_sum(days, "no"),
            missing_count=_count(notes),
            ref_broken=_count(checks.filter(outcome=ReferenceCheck.Outcome.BROKEN)),
            ref_moved=_count(checks.filter(outcome=ReferenceCheck.Outcome.MOVED)),
            grade=F("readability__grade"),
            long_share=F("readability__long_sentence_share"),
            topic_title=topic_title(),
        )
        .annotate(
            votes=F("votes_yes") + F("votes_no"),
            ref_problems=F("ref_broken") + F("ref_moved"),
        )
        .annotate(
            helpful_pct=Case(
                When(votes__gt=0, then=helpful_share("votes_yes", "votes")),
                default=None,
                output_field=FloatField(),
            )
        )
        .annotate(
            low_helpful=_flag(Q(pk__in=low_helpful_articles(since_day))),
            above_target=_flag(Q(grade__gt=settings.READING_GRADE_TARGET)),
            bad_references=_flag(Q(pk__in=bad_reference_articles())),
            # The rows are live articles: due is the rule on their own columns (reviews_due's
            # rule, articles/review.py). An EXISTS had PostgreSQL list every due article first.
            review_due=_flag(due_q(today)),
            missing=_flag(Q(pk__in=recent_notes.values("article"))),
        )
    )


def with_problems(queryset, problems):
    """Rows with any of `problems` (PROBLEMS keys)."""
    condition = Q()
    for problem in problems:
        condition |= Q(**{problem: True})
    return queryset.filter(condition)


def describe(rows, today=None):
    """The figures that are not columns: review status (articles' own rule), the number of
    references, and the row's problems as words. Takes the page of rows shown (or exported)."""
    today = today or timezone.localdate()
    rows = list(rows)
    for row in rows:
        row.review = review_status(row, today)
        row.review_label = STATUS_LABELS[row.review]
        row.reference_count = len(row.references)
        row.problem_labels = [label for key, label in PROBLEMS.items() if getattr(row, key)]
    return rows
