"""Kept only as long as needed (issue 16, point 4; issue 24, "Erasure as promised"):
`prune_questions` erases what readers gave once each status's retention is over, and
`question_personal_data` exports or erases what one email address asked. Erasing means the
question's words, details, topic, address and red flags, not only the details and address."""

import datetime
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.utils import timezone

from healthpress.questions import report
from healthpress.questions.models import CONSENT_WORDING_VERSION, Question, Status

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assert_erased(question):
    """Nothing the reader gave is left; what the site needs is."""
    question.refresh_from_db()
    gave = (question.question, question.details, question.email, question.red_flags)
    assert gave == ("", "", "", ""), question.pk
    assert question.topic_id is None and not question.flagged
    assert question.email_confirmed_at is None and question.erased_at is not None
    assert question.created_at and question.consent_version == CONSENT_WORDING_VERSION


def assert_kept(question, text):
    question.refresh_from_db()
    assert question.question == text and question.details and question.email
    assert question.erased_at is None


@pytest.fixture
def everything(make_question, topic):
    """A question in every state and on each side of its limit, each with words, details, a
    topic, red flags and a confirmed email."""

    def make(text, status, **dates):
        return make_question(
            text,
            status=status,
            details=f"details of {text}",
            topic=topic,
            flagged=True,
            red_flags="chest pain",
            email=f"{text.split()[0].lower()}@example.org",
            confirmed=True,
            **dates,
        )

    declined = make("Declined long ago?", Status.DECLINED, closed_at=days_ago(200))
    merged = make("Merged long ago?", Status.MERGED, closed_at=days_ago(250))
    Question.objects.filter(pk=merged.pk).update(merged_into=declined)
    made = {
        "old answered": make("Answered long ago?", Status.ANSWERED, closed_at=days_ago(181)),
        "old declined": declined,
        "old duplicate": make("Duplicate long ago?", Status.DUPLICATE, closed_at=days_ago(365)),
        "old merged": merged,
        "old new": make("Waiting for ever?", Status.NEW, created_at=days_ago(181)),
        "old accepted": make(
            "Written for ever?", Status.ACCEPTED, created_at=days_ago(400), decided_at=days_ago(366)
        ),
        "recent answered": make("Answered lately?", Status.ANSWERED, closed_at=days_ago(179)),
        "recent new": make("Still new?", Status.NEW, created_at=days_ago(179)),
        "recent accepted": make(
            "Being written?", Status.ACCEPTED, created_at=days_ago(400), decided_at=days_ago(364)
        ),
    }
    return made


def test_prune_erases_what_readers_gave_once_each_status_s_retention_is_over(everything):
    out, _ = run("prune_questions")
    assert "Erased what readers gave with 6 questions" in out
    for name, question in everything.items():
        if name.startswith("old"):
            assert_erased(question)
        else:
            assert_kept(question, question.question)
    statuses = {name: Question.objects.get(pk=q.pk).status for name, q in everything.items()}
    # Nothing left to decide on: an undecided question leaves the queue; the others keep theirs.
    assert statuses["old new"] == Status.ERASED
    assert Question.objects.get(pk=everything["old new"].pk).closed_at is not None
    assert statuses["old accepted"] == Status.ACCEPTED
    assert statuses["old answered"] == Status.ANSWERED
    assert list(Question.objects.new()) == [everything["recent new"]]
    # A second run (the next night) has nothing left to erase.
    assert "with 0 questions" in run("prune_questions")[0]


def test_the_report_counts_erased_questions_as_before(everything):
    before = report.figures()
    run("prune_questions")
    after = report.figures()
    assert (after.asked, after.answered, after.duplicates) == (
        before.asked,
        before.answered,
        before.duplicates,
    )


def test_an_erased_question_shows_as_erased_in_the_admin(everything, question_editor, client):
    run("prune_questions")
    client.force_login(question_editor)
    queue = client.get("/admin/questions/?status=").content.decode()
    assert "(erased " in queue and "Waiting for ever?" not in queue
    page = client.get(f"/admin/questions/{everything['old new'].pk}/").content.decode()
    assert "Erased before a decision" in page and "chest pain" not in page


def test_a_merged_question_keeps_its_address_while_its_main_question_is_open(make_question):
    main = make_question("Still being written?", status=Status.ACCEPTED, decided_at=days_ago(30))
    merged = make_question(
        "Merged a long time ago?",
        status=Status.MERGED,
        merged_into=main,
        details="Mine.",
        email="waiting@example.org",
        confirmed=True,
        closed_at=days_ago(400),
    )
    run("prune_questions")
    assert_kept(merged, "Merged a long time ago?")  # to be told when the answer is published


def test_a_question_merged_into_an_undecided_one_keeps_its_own_clock(make_question):
    """Merged into a question nobody decided on, each asker's question is as undecided as it
    is: it goes when its own undecided limit is reached; when the main question goes, the
    questions merged into it return to the queue with their own dates."""
    main = make_question("Main and old?", status=Status.NEW, created_at=days_ago(200))
    young = make_question(
        "Merged last week?",
        status=Status.MERGED,
        merged_into=main,
        details="Young.",
        email="young@example.org",
        created_at=days_ago(7),
        closed_at=days_ago(6),
        decided_at=days_ago(6),
    )
    old = make_question(
        "Merged and old?",
        status=Status.MERGED,
        merged_into=main,
        details="Old.",
        email="old@example.org",
        created_at=days_ago(190),
        closed_at=days_ago(6),
    )
    run("prune_questions")
    assert_erased(main)
    assert_erased(old)
    assert_kept(young, "Merged last week?")
    young.refresh_from_db()
    assert (young.status, young.merged_into, young.closed_at) == (Status.NEW, None, None)
    assert list(Question.objects.new()) == [young]


@pytest.mark.parametrize(
    "setting, erased",
    [
        ("QUESTIONS_RETENTION_DAYS", {"recent answered"}),
        ("QUESTIONS_UNDECIDED_DAYS", {"recent new"}),
        ("QUESTIONS_ACCEPTED_DAYS", {"recent accepted"}),
    ],
)
def test_prune_follows_each_setting(everything, settings, setting, erased):
    setattr(settings, setting, 30)
    run("prune_questions")
    for name in ("recent answered", "recent new", "recent accepted"):
        question = Question.objects.get(pk=everything[name].pk)
        assert (question.erased_at is not None) == (name in erased), name


def test_prune_dry_run_says_how_many_per_status_and_erases_nothing(everything):
    out, _ = run("prune_questions", "--dry-run")
    assert out.startswith("6 questions are due for erasure: ")
    assert "1 accepted" in out and "1 new" in out and "1 merged" in out
    assert not Question.objects.filter(erased_at__isnull=False).exists()


def test_prune_has_help_that_names_every_rule():
    assert "prune_questions" in get_commands()
    command = load_command_class(get_commands()["prune_questions"], "prune_questions")
    text = command.create_parser("manage.py", "prune_questions").format_help()
    for name in ("QUESTIONS_RETENTION_DAYS", "QUESTIONS_UNDECIDED_DAYS", "QUESTIONS_ACCEPTED_DAYS"):
        assert name in " ".join(text.split()), name
    assert "--dry-run" in text and "cron" in text


# question_personal_data ----------------------------------------------------------------------


@pytest.fixture
def asked(make_question, make_article, topic):
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
    also_mine = make_question(
        "Is cramp in the pool dangerous?",
        email="reader@example.org",
        topic=topic,
        flagged=True,
        red_flags="chest pain",
    )
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
    assert second["red_flags"] == "chest pain" and second["topic_title"]
    assert "Someone else's?" not in out and "Theirs." not in out


def test_export_of_an_address_that_asked_nothing_is_an_empty_list(asked):
    assert json.loads(run("question_personal_data", "export", "nobody@example.org")[0]) == {
        "email": "nobody@example.org",
        "questions": [],
    }


def test_erase_removes_everything_the_reader_gave_and_keeps_the_counts(asked):
    article, mine, also_mine, other = asked
    out, _ = run("question_personal_data", "erase", "reader@EXAMPLE.org", "--yes")
    assert "Erased the words, details and address of 2 question(s)" in out
    # The editors' article is theirs: named, so an operator can check its title, not changed.
    assert f"Article {article.pk} (“Why do my calves cramp when I swim?”)" in out
    article.refresh_from_db()
    assert article.title == "Why do my calves cramp when I swim?"
    for question in (mine, also_mine):
        assert_erased(question)
    mine.refresh_from_db()
    assert mine.status == Status.ANSWERED and mine.article == article  # still counted
    also_mine.refresh_from_db()
    assert also_mine.status == Status.ERASED  # it was new: nothing left to decide on
    other.refresh_from_db()
    assert (other.question, other.email, other.details) == (
        "Someone else's?",
        "other@example.org",
        "Theirs.",
    )
    assert (
        json.loads(run("question_personal_data", "export", "reader@example.org")[0])["questions"]
        == []
    )
    assert "Nothing stored" in run("question_personal_data", "erase", "reader@example.org")[0]


def test_erasing_drops_the_words_the_matching_step_searched_with(ask, make_article):
    """/ask/'s matching step searches the site with the question: the search keeps each word's
    document count until its index changes, a name or a private detail among them. Erasing the
    question drops them (the counts are a cache, counted again by the next search)."""
    from healthpress.search.models import DocumentCount

    make_article("Why do my legs cramp at night?")
    assert ask(question="Do leg cramps run in the Wexlerbrook family?").status_code == 200
    ask(action="ask", question="Do leg cramps run in the Wexlerbrook family?", email="w@ex.org")
    assert DocumentCount.objects.filter(term__icontains="wexlerbrook").exists()
    run("question_personal_data", "erase", "w@ex.org", "--yes")
    assert not DocumentCount.objects.filter(term__icontains="wexlerbrook").exists()


def test_erasing_a_new_question_gives_the_ones_merged_into_it_back_to_the_queue(make_question):
    main = make_question("Mine, new?", email="me@example.org", details="Mine.")
    theirs = make_question("Theirs, merged?", email="them@example.org")
    main.merge([theirs])
    run("question_personal_data", "erase", "me@example.org", "--yes")
    assert_erased(main)
    theirs.refresh_from_db()
    assert (theirs.status, theirs.merged_into, theirs.question) == (
        Status.NEW,
        None,
        "Theirs, merged?",
    )
    assert list(Question.objects.new()) == [theirs]


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


def test_questions_erased_before_this_change_lose_their_words_too(make_question, topic):
    """The erasure of issue 16 kept the words and red flags: migration 0003 finishes it."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("healthpress.questions.migrations.0003_erasure_as_promised")
    half = make_question("Half erased?", red_flags="chest pain", flagged=True, topic=topic)
    theirs = make_question("Merged into it?", email="them@example.org")
    half.merge([theirs])
    answered = make_question("Answered, half erased?", status=Status.ANSWERED)
    untouched = make_question("Never erased?", email="kept@example.org")
    Question.objects.filter(pk__in=[half.pk, answered.pk]).update(erased_at=days_ago(3))
    migration.finish_earlier_erasures(apps, None)
    assert_erased(half)
    assert_erased(answered)
    half.refresh_from_db()
    theirs.refresh_from_db()
    assert half.status == Status.ERASED and theirs.status == Status.NEW
    untouched.refresh_from_db()
    assert untouched.question == "Never erased?" and untouched.email == "kept@example.org"
    # Sent before, when the claim lived in the cache: counted, and never sent again.
    assert untouched.confirmation_sent_at == untouched.created_at
