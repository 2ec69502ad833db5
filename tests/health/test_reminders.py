"""Review reminders through a real SMTP server (aiosmtpd): one digest per person a week at most,
never twice for the same article and review date, the Medical reviewers group when an article
has no reviewer to remind, and a failed send retried by the next run."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from healthpress.articles.models import ArticlePage
from healthpress.articles.review import REVIEWER_GROUP
from healthpress.health import reminders
from healthpress.health.models import ReviewReminder
from healthpress.health.reminders import send_review_reminders
from healthpress.people.models import Person

NOW = timezone.now()
TODAY = timezone.localdate(NOW)


def day(n):
    """The run `n` days from now."""
    return NOW + timedelta(days=n)


@pytest.fixture
def make_user(db):
    def make(username, email=None, *, active=True, reviewer_group=False):
        user = get_user_model().objects.create_user(
            username,
            email=f"{username}@example.org" if email is None else email,
            is_active=active,
            first_name=username.title(),
        )
        if reviewer_group:
            user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
        return user

    return make


@pytest.fixture
def kofi(make_user):
    """A reviewer with an admin account, and the Person articles record as their reviewer."""
    user = make_user("kofi")
    return Person.objects.create(name="Kofi Mensah", user=user)


@pytest.fixture
def due_article(make_article):
    """A published article whose next review falls due in `days` days (negative: overdue)."""

    def make(question, days, reviewer=None):
        article = make_article(question)
        ArticlePage.objects.filter(pk=article.pk).update(
            reviewer=reviewer,
            last_reviewed=TODAY - timedelta(days=700),
            next_review_due=TODAY + timedelta(days=days),
        )
        article.refresh_from_db()
        return article

    return make


def listed_titles(message):
    return [line[2:] for line in message.get_content().splitlines() if line.startswith("- ")]


def test_a_reviewer_gets_one_digest_listing_all_their_due_articles(smtp_server, kofi, due_article):
    soon = due_article("Why do my legs cramp at night?", 10, kofi)
    last_day = due_article("Can poor sleep raise blood pressure?", 30, kofi)
    overdue = due_article("What helps heartburn at night?", -5, kofi)
    due_article("Why do I feel bloated after meals?", 31, kofi)  # not yet
    outcome = send_review_reminders(now=NOW)

    assert (outcome.emails, outcome.articles) == (1, 3)
    [message] = smtp_server.messages
    assert message["To"] == "kofi@example.org"
    assert message["Subject"] == "3 articles due for medical review"
    assert listed_titles(message) == [overdue.title, soon.title, last_day.title]
    body = message.get_content()
    assert f"http://testserver/admin/pages/{soon.pk}/edit/" in body
    assert f"Review due: {overdue.next_review_due:%-d %B %Y} (overdue)" in body
    assert "http://testserver/admin/reports/reviews-due/" in body


def test_running_again_the_same_day_sends_nothing(smtp_server, kofi, due_article):
    due_article("Why do my legs cramp at night?", 10, kofi)
    send_review_reminders(now=NOW)
    outcome = send_review_reminders(now=NOW + timedelta(hours=3))
    assert outcome.emails == 0
    assert len(smtp_server.messages) == 1


def test_an_article_due_the_next_day_waits_a_week_then_goes(smtp_server, kofi, due_article):
    due_article("Why do my legs cramp at night?", 10, kofi)
    send_review_reminders(now=NOW)
    later = due_article("Can poor sleep raise blood pressure?", 31, kofi)  # due from tomorrow

    for n in range(1, 7):
        outcome = send_review_reminders(now=day(n))
        assert outcome.emails == 0
        assert outcome.waiting == [kofi.user]
    assert len(smtp_server.messages) == 1

    # A week to the day, even if cron starts a little earlier than last time.
    outcome = send_review_reminders(now=day(7) - timedelta(minutes=1))
    assert outcome.emails == 1
    assert listed_titles(smtp_server.messages[-1]) == [later.title]


def test_never_twice_for_the_same_due_date(smtp_server, kofi, due_article):
    article = due_article("Why do my legs cramp at night?", 10, kofi)
    send_review_reminders(now=NOW)
    for n in (8, 15, 30, 60):  # still due, then overdue
        assert send_review_reminders(now=day(n)).emails == 0
    assert len(smtp_server.messages) == 1

    # A new review sets a new due date: its reminder is a new one.
    new_due = TODAY + timedelta(days=70)
    ArticlePage.objects.filter(pk=article.pk).update(next_review_due=new_due)
    assert send_review_reminders(now=day(60)).emails == 1
    assert ReviewReminder.objects.filter(article=article).count() == 2


def test_without_a_reviewer_every_active_medical_reviewer_with_an_email_is_reminded(
    smtp_server, make_user, due_article
):
    make_user("amara", reviewer_group=True)
    make_user("lena", reviewer_group=True)
    make_user("gone", reviewer_group=True, active=False)
    make_user("noemail", "", reviewer_group=True)
    make_user("editor")  # not a medical reviewer
    article = due_article("Why do my legs cramp at night?", 3)

    outcome = send_review_reminders(now=NOW)

    assert outcome.emails == 2
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "amara@example.org",
        "lena@example.org",
    ]
    assert all(listed_titles(m) == [article.title] for m in smtp_server.messages)


def test_a_reviewer_who_cannot_be_reached_falls_back_to_the_group(
    smtp_server, make_user, due_article
):
    make_user("amara", reviewer_group=True)
    left = Person.objects.create(name="Left Hospital", user=make_user("left", active=False))
    quiet = Person.objects.create(name="No Address", user=make_user("quiet", ""))
    nobody = Person.objects.create(name="No Account")
    due_article("Why do my legs cramp at night?", 3, left)
    due_article("Can poor sleep raise blood pressure?", 4, quiet)
    due_article("What helps heartburn at night?", 5, nobody)

    send_review_reminders(now=NOW)

    [message] = smtp_server.messages
    assert message["To"] == "amara@example.org"
    assert len(listed_titles(message)) == 3


def test_a_person_gets_one_email_for_articles_they_review_and_group_articles(
    smtp_server, kofi, due_article
):
    kofi.user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    due_article("Why do my legs cramp at night?", 3, kofi)
    due_article("Can poor sleep raise blood pressure?", 4)  # no reviewer: the group

    send_review_reminders(now=NOW)

    [message] = smtp_server.messages
    assert len(listed_titles(message)) == 2


def test_a_failed_send_is_retried_by_the_next_run(smtp_server, kofi, make_user, due_article):
    due_article("Why do my legs cramp at night?", 3, kofi)
    smtp_server.reject_next = ["451 Try again later"]

    outcome = send_review_reminders(now=NOW)

    assert outcome.emails == 0
    assert [user for user, _ in outcome.failed] == [kofi.user]
    assert not ReviewReminder.objects.exists()
    assert send_review_reminders(now=NOW + timedelta(hours=1)).emails == 1
    assert len(smtp_server.messages) == 1


def test_a_run_that_dies_after_claiming_never_mails_twice(
    smtp_server, kofi, due_article, monkeypatch
):
    due_article("Why do my legs cramp at night?", 3, kofi)

    def crash(user, items, today):
        raise SystemExit("killed")

    monkeypatch.setattr(reminders, "reminder_email", crash)
    with pytest.raises(SystemExit):
        send_review_reminders(now=NOW)
    monkeypatch.undo()

    assert ReviewReminder.objects.count() == 1  # the claim outlives the crash
    assert send_review_reminders(now=day(8)).emails == 0
    assert smtp_server.messages == []


def test_the_daily_command_says_what_it_did(smtp_server, kofi, due_article):
    due_article("Why do my legs cramp at night?", 3, kofi)
    due_article("Can poor sleep raise blood pressure?", 5, kofi)
    orphan = due_article("What helps heartburn at night?", 5)  # no reviewer, empty group

    out, err = StringIO(), StringIO()
    call_command("send_review_reminders", stdout=out, stderr=err)
    assert out.getvalue() == (
        "Sent 1 review reminder email listing 2 due articles (REVIEW_REMINDER_DAYS=30).\n"
    )
    assert f"Nobody to remind about article {orphan.pk}" in err.getvalue()

    out = StringIO()
    call_command("send_review_reminders", stdout=out, stderr=StringIO())
    assert "Sent 0 review reminder emails" in out.getvalue()
    assert "wait" not in out.getvalue()  # nothing new for Kofi: nobody is kept waiting


def test_the_command_fails_loudly_when_an_email_is_refused(smtp_server, kofi, due_article):
    due_article("Why do my legs cramp at night?", 3, kofi)
    smtp_server.reject_next = ["554 No thanks"]
    with pytest.raises(CommandError, match="1 reminder email"):
        call_command("send_review_reminders", stdout=StringIO(), stderr=StringIO())
