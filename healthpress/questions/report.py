"""The figures of the editors' report: how many questions readers ask, how many the site already
answers, how long an answer takes, and how long the queue waits.

All over the same window, the last WEEKS weeks (Monday to Sunday in the site's time zone, this
week included). Counts only: the report shows no question and no asker.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .models import AlreadyAnsweredCount, Question, Status

WEEKS = 12
DAY = 86400


@dataclass
class Report:
    since: date  # the Monday the window starts on
    per_week: list  # [(Monday, questions asked that week)], oldest first, WEEKS of them
    asked: int  # questions asked in the window
    found_in_suggestions: int  # readers who took "This answers my question" instead of asking
    duplicates: int  # questions asked in the window that an existing article answered
    answered: int  # questions whose answer was published in the window
    median_days_to_answer: float | None  # from asking to the answer's publication
    new: int  # questions waiting for a decision now
    oldest_new_days: float | None
    median_new_days: float | None

    @property
    def already_answered_share(self):
        """Of the readers who came to ask, the share the site already answered: those who found
        the answer among the suggestions, plus the questions marked as duplicates."""
        came = self.found_in_suggestions + self.asked
        return (self.found_in_suggestions + self.duplicates) / came if came else None

    @property
    def suggestions_share(self):
        came = self.found_in_suggestions + self.asked
        return self.found_in_suggestions / came if came else None


def _days(delta):
    return round(delta.total_seconds() / DAY, 1)


def _median_days(deltas):
    return _days(statistics.median(deltas)) if deltas else None


def figures(now=None, weeks=WEEKS):
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    start = timezone.make_aware(datetime.combine(since, time.min))
    in_window = Question.objects.filter(created_at__gte=start, created_at__lte=now)

    weekly = in_window.annotate(week=TruncWeek("created_at")).values("week").annotate(n=Count("pk"))
    # TruncWeek gives the Monday at midnight in the current time zone.
    counts = {timezone.localdate(row["week"]): row["n"] for row in weekly.order_by()}
    mondays = [since + timedelta(weeks=n) for n in range(weeks)]
    per_week = [(monday, counts.get(monday, 0)) for monday in mondays]

    found = AlreadyAnsweredCount.objects.filter(day__gte=since, day__lte=today).aggregate(
        total=Sum("count")
    )["total"]

    answered = Question.objects.filter(answered_at__gte=start, answered_at__lte=now).values_list(
        "created_at", "answered_at"
    )
    ages = [now - asked for asked in Question.objects.new().values_list("created_at", flat=True)]
    return Report(
        since=since,
        per_week=per_week,
        asked=sum(n for _, n in per_week),
        found_in_suggestions=found or 0,
        duplicates=in_window.filter(status=Status.DUPLICATE).count(),
        answered=len(answered),
        median_days_to_answer=_median_days([done - asked for asked, done in answered]),
        new=len(ages),
        oldest_new_days=_days(max(ages)) if ages else None,
        median_new_days=_median_days(ages),
    )
