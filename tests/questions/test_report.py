"""The editors' report (issue 16, point 7): its figures on known data, and its page."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from healthpress.questions import report
from healthpress.questions.models import AlreadyAnsweredCount, Status

pytestmark = pytest.mark.django_db

# A Wednesday noon in the site's time zone: the window starts on Monday 2026-08-24.
NOW = timezone.make_aware(datetime(2026, 11, 11, 12, 0))
MONDAY = date(2026, 11, 9)


def at(day, hour=9):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def known(make_question):
    """Eight questions asked in the window, one before it, and 30 readers who took a suggestion."""
    this_week, last_week = MONDAY, MONDAY - timedelta(weeks=1)
    first_week = MONDAY - timedelta(weeks=11)
    before = at(first_week - timedelta(days=1))
    make_question("Before the window", created_at=before, status=Status.DECLINED)
    make_question("First week", created_at=at(first_week), status=Status.DUPLICATE)
    # Answered 4, 10 and 20 days after being asked: median 10.
    for n, days in enumerate((4, 10, 20)):
        asked = at(last_week - timedelta(weeks=4))
        make_question(
            f"Answered {n}",
            created_at=asked,
            status=Status.ANSWERED,
            answered_at=asked + timedelta(days=days),
        )
    last_sunday_night = at(last_week + timedelta(days=6), 23)
    make_question("Last week dup", created_at=last_sunday_night, status=Status.DUPLICATE)
    # The open queue: new questions 1, 2 and 9 days old (9 days: last week's Monday, 3:00).
    make_question("New 1", created_at=NOW - timedelta(days=1))
    make_question("New 2", created_at=NOW - timedelta(days=2))
    make_question("New 9", created_at=NOW - timedelta(days=9))
    AlreadyAnsweredCount.objects.create(day=this_week, count=10)
    AlreadyAnsweredCount.objects.create(day=first_week, count=20)
    AlreadyAnsweredCount.objects.create(day=first_week - timedelta(days=1), count=500)  # before


def test_the_figures_on_known_data(known):
    figures = report.figures(now=NOW)
    assert figures.since == MONDAY - timedelta(weeks=11) == date(2026, 8, 24)
    weeks = dict(figures.per_week)
    assert len(figures.per_week) == 12 and list(weeks) == sorted(weeks)
    assert weeks[date(2026, 8, 24)] == 1  # the first week; the day before is left out
    assert weeks[MONDAY - timedelta(weeks=5)] == 3  # the answered ones
    assert weeks[MONDAY - timedelta(weeks=1)] == 2  # Sunday 23:00 dup, and "New 9"
    assert weeks[MONDAY] == 2  # New 1 and New 2
    assert figures.asked == 8 == sum(weeks.values())
    assert figures.found_in_suggestions == 30
    assert figures.duplicates == 2
    # Already answered: (30 suggestions taken + 2 duplicates) of (30 + 8) who came to ask.
    assert figures.already_answered_share == pytest.approx(32 / 38)
    assert figures.suggestions_share == pytest.approx(30 / 38)
    assert figures.answered == 3 and figures.median_days_to_answer == 10.0
    assert figures.new == 3
    assert figures.oldest_new_days == 9.0 and figures.median_new_days == 2.0


def test_the_figures_of_an_empty_site():
    figures = report.figures(now=NOW)
    assert figures.asked == 0 and all(n == 0 for _, n in figures.per_week)
    assert figures.already_answered_share is None and figures.median_days_to_answer is None
    assert figures.new == 0 and figures.oldest_new_days is None and figures.median_new_days is None


def test_an_even_number_of_ages_takes_the_middle_two(make_question):
    for days in (1, 2, 4, 8):
        make_question(f"{days}", created_at=NOW - timedelta(days=days))
    figures = report.figures(now=NOW)
    assert figures.median_new_days == 3.0 and figures.oldest_new_days == 8.0


def test_the_report_page_for_question_editors(client, question_editor, known):
    client.force_login(question_editor)
    response = client.get("/admin/questions/report/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Questions per week" in page and "Median time from question to published answer" in page
    for secret in ("New 1", "Answered 0", "First week"):  # counts only, no question
        assert secret not in page
    assert "/admin/questions/report/" in client.get("/admin/questions/").content.decode()
