"""Kept only as long as needed (issue 16, point 4): `prune_questions` erases the details and email
of questions closed more than QUESTIONS_RETENTION_DAYS ago; `question_personal_data` exports or
erases what one email address asked."""

import datetime
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.utils import timezone

from healthpress.questions.models import CONSENT_WORDING_VERSION, Question, Status

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def closed(make_question):
    """One question of each kind, with details and a confirmed email."""

    def make(text, status, closed_days_ago=None):
        return make_question(
            text,
            status=status,
            details=f"details of {text}",
            email=f"{text.split()[0].lower()}@example.org",
            confirmed=True,
            closed_at=None if closed_days_ago is None else days_ago(closed_days_ago),
        )

    declined = make("Declined long ago?", Status.DECLINED, 200)
    merged = make("Merged long ago?", Status.MERGED, 250)
    merged.merged_into = declined
    merged.save(update_fields=["merged_into"])
    return {
        "old answered": make("Answered long ago?", Status.ANSWERED, 181),
        "old declined": declined,
        "old duplicate": make("Duplicate long ago?", Status.DUPLICATE, 365),
        "old merged": merged,
        "recent answered": make("Answered lately?", Status.ANSWERED, 179),
        "new": make("Still new?", Status.NEW),
        "accepted": make("Being written?", Status.ACCEPTED),
    }


def test_prune_erases_details_and_email_of_questions_closed_past_retention(closed):
    out, _ = run("prune_questions")
    assert "Erased the details and email of 4 questions" in out
    assert "QUESTIONS_RETENTION_DAYS=180" in out
    for name, question in closed.items():
        question.refresh_from_db()
        erased = name.startswith("old")
        assert (question.details == "", question.email == "") == (erased, erased), name
        assert (question.erased_at is not None) == erased, name
        # What the editors' report counts stays.
        assert question.question and question.status and question.created_at
    # Nothing is left to erase: a second run (the next night) erases nothing.
    assert "of 0 questions" in run("prune_questions")[0]


def test_a_merged_question_keeps_its_address_while_its_main_question_is_open(make_question):
    main = make_question("Still being written?", status=Status.ACCEPTED)
    merged = make_question(
        "Merged a long time ago?",
        status=Status.MERGED,
        merged_into=main,
        email="waiting@example.org",
        confirmed=True,
        closed_at=days_ago(400),
    )
    run("prune_questions")
    merged.refresh_from_db()
    assert merged.email == "waiting@example.org"  # to be told when the answer is published


def test_prune_follows_the_setting(closed, settings):
    settings.QUESTIONS_RETENTION_DAYS = 30
    assert "of 5 questions" in run("prune_questions")[0]


def test_prune_dry_run_erases_nothing(closed):
    out, _ = run("prune_questions", "--dry-run")
    assert out.startswith("4 questions closed before")
    assert not Question.objects.filter(erased_at__isnull=False).exists()


def test_prune_has_help_that_says_what_it_keeps():
    assert "prune_questions" in get_commands()
    command = load_command_class(get_commands()["prune_questions"], "prune_questions")
    text = command.create_parser("manage.py", "prune_questions").format_help()
    assert "QUESTIONS_RETENTION_DAYS" in text and "--dry-run" in text and "cron" in text


# question_personal_data ----------------------------------------------------------------------


@pytest.fixture
def asked(make_question, make_article):
    article = make_article(question="Why do my calves cramp when I swim?")
    mine = make_question(
        "Why do my calves cramp when I swim?",
        details="After 20 lengths.",
        email="Reader@Example.org",
        confirmed=True,
        status=Status.ANSWERED,
        article=article,
        answered_at=timezone.now(),
        closed_at=timezone.now(),
    )
    also_mine = make_question("Is cramp in the pool dangerous?", email="reader@example.org")
    other = make_question("Someone else's?", details="Theirs.", email="other@example.org")
    return article, mine, also_mine, other


def test_export_prints_every_question_asked_with_the_address(asked, capsys):
    article, mine, also_mine, _ = asked
    out, _ = run("question_personal_data", "export", "READER@example.org")
    data = json.loads(out)
    assert data["email"] == "READER@example.org"
    first, second = data["questions"]
    assert (first["question"], first["details"]) == (mine.question, "After 20 lengths.")
    assert first["status"] == "answered" and first["article"] == article.full_url
    assert first["consent_version"] == CONSENT_WORDING_VERSION
    assert first["created_at"] == mine.created_at.isoformat()
    assert first["answered_at"] and first["email_confirmed_at"]
    assert second["question"] == also_mine.question and second["article"] is None
    assert "Someone else's?" not in out and "Theirs." not in out


def test_export_of_an_address_that_asked_nothing_is_an_empty_list(asked):
    assert json.loads(run("question_personal_data", "export", "nobody@example.org")[0]) == {
        "email": "nobody@example.org",
        "questions": [],
    }


def test_erase_blanks_email_and_details_and_keeps_the_counts(asked):
    _, mine, also_mine, other = asked
    out, _ = run("question_personal_data", "erase", "reader@EXAMPLE.org", "--yes")
    assert "Erased the email and details of 2 question(s)" in out
    for question in (mine, also_mine):
        question.refresh_from_db()
        assert (question.email, question.details) == ("", "")
        assert question.erased_at is not None
    mine.refresh_from_db()
    assert mine.status == Status.ANSWERED and mine.question  # the report still counts it
    other.refresh_from_db()
    assert (other.email, other.details) == ("other@example.org", "Theirs.")
    assert (
        json.loads(run("question_personal_data", "export", "reader@example.org")[0])["questions"]
        == []
    )
    assert "Nothing stored" in run("question_personal_data", "erase", "reader@example.org")[0]


def test_erase_asks_first_and_a_no_erases_nothing(asked):
    refusal = pytest.raises(CommandError, match="Cancelled")
    with mock.patch("builtins.input", return_value="n") as asked_first, refusal:
        call_command("question_personal_data", "erase", "reader@example.org")
    assert "Erase 2 question(s)" in asked_first.call_args.args[0]
    assert Question.objects.filter(email__iexact="reader@example.org").count() == 2
    with mock.patch("builtins.input", return_value="y"):
        run("question_personal_data", "erase", "reader@example.org")
    assert not Question.objects.filter(email__iexact="reader@example.org").exists()


@pytest.mark.parametrize("action", ["export", "erase"])
@pytest.mark.parametrize("email", ["not-an-address", "", "a@b@c", "reader@"])
def test_a_bad_address_is_a_clear_error(action, email):
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("question_personal_data", action, email, "--yes")


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError):
        call_command("question_personal_data", "delete", "reader@example.org")
