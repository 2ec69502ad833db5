"""Told when answered (issue 16, point 6): the first publish of the article written for readers'
questions tells each asker with a confirmed email once, whatever path published it; the article
counts the readers it answers, and /questions/answered/ lists it with a feed."""

import datetime
import traceback
from unittest import mock

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from healthpress.people.models import Person
from healthpress.questions import triage
from healthpress.questions.models import Question, Status
from healthpress.questions.tasks import EmailNotSent, send_answered_notices
from tests.articles.test_importer import FIXTURES, HICCUPS
from tests.articles.test_review_workflow import approve, logged_in, submit
from tests.core.test_views import ARTICLE_QUERIES, warm
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.django_db

QUESTION = "Why do my calves cramp when I swim?"
DETAILS = "Left calf mostly, after 20 lengths, zx-details-7731"


def staff(username, group, person):
    user = get_user_model().objects.create_user(username, password="pw-" + username)
    user.groups.add(Group.objects.get(name=group))
    person.user = user
    person.save(update_fields=["user"])
    return user


@pytest.fixture
def writer(author):
    """The article's author, an editor: may submit, not publish (as tests/articles have it)."""
    return staff("writer", "Editors", author)


@pytest.fixture
def reviewer(db):
    return staff("reviewer", "Medical reviewers", Person.objects.create(name="Kofi Mensah"))


@pytest.fixture
def draft(make_article):
    """What triage.accept() leaves: a draft with the question as its title, not yet live."""
    return make_article(question=QUESTION, publish=False)


@pytest.fixture
def askers(draft, make_question):
    """The accepted question, one merged into it by accept() (linked to the draft), one merged
    into it only through the merge, without a confirmed email."""
    main = make_question(
        QUESTION,
        status=Status.ACCEPTED,
        article=draft,
        details=DETAILS,
        email="first@example.org",
        confirmed=True,
    )
    merged = make_question(
        "Cramp in the pool, zx-merged-4410?",
        status=Status.MERGED,
        merged_into=main,
        article=draft,
        email="second@example.org",
        confirmed=True,
    )
    unconfirmed = make_question(
        "Calf cramps while swimming",
        status=Status.MERGED,
        merged_into=main,
        email="unconfirmed@example.org",
    )
    return main, merged, unconfirmed


def publish(page, committed):
    """Publish the latest revision as an administrator's publish does (Revision.publish)."""
    with committed():
        page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def recipients(sink):
    return sorted(m["X-Envelope-To"] for m in sink.messages)


def test_approval_through_the_workflow_tells_each_confirmed_asker_once(
    client, draft, askers, writer, reviewer, smtp_server, committed
):
    assert submit(logged_in(writer), draft).status_code == 302
    assert not smtp_server.messages  # submitting publishes nothing
    with committed():
        assert approve(logged_in(reviewer), draft).status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live

    assert recipients(smtp_server) == ["first@example.org", "second@example.org"]
    url = draft.full_url
    assert url.startswith("http://localhost/")  # the Site's address, not the test client's
    for message in smtp_server.messages:
        assert message["Subject"].endswith("your question has been answered")
        assert message.get_content_type() == "text/plain"
        body = message.get_content()
        assert url in body
        # Neither the details nor the asker's own wording travel by email.
        assert DETAILS not in body and "zx-merged-4410" not in body

    now = timezone.now()
    for question in Question.objects.all():
        assert question.status == Status.ANSWERED
        assert question.article_id == draft.pk
        assert now - question.answered_at < datetime.timedelta(minutes=1)
        assert question.closed_at == question.answered_at
    told = dict(Question.objects.values_list("email", "notified_at"))
    assert told["first@example.org"] and told["second@example.org"]
    assert told["unconfirmed@example.org"] is None

    # Published again (an edit approved, an administrator's publish): nobody hears twice.
    assert submit(logged_in(writer), draft).status_code == 302
    with committed():
        approve(logged_in(reviewer), draft)
    publish(draft, committed)
    assert len(smtp_server.messages) == 2


def test_from_accept_to_approval_the_asker_is_told_once(
    topic, expert, reviewer, make_question, smtp_server, committed
):
    """The whole loop with triage's own accept(): the draft it makes goes through the workflow."""
    question = make_question(QUESTION, email="asker@example.org", confirmed=True)
    with committed():
        draft = triage.accept(question, topic, expert)
    assert submit(logged_in(expert.user), draft).status_code == 302
    with committed():
        approve(logged_in(reviewer), draft)
    draft.refresh_from_db()
    assert draft.live and draft.title == QUESTION
    [told] = smtp_server.to("asker@example.org")
    assert draft.full_url in told.get_content()
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.notified_at


def test_an_administrators_publish_tells_the_asker(draft, askers, committed):
    publish(draft, committed)
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]


def test_scheduled_publish_tells_the_asker_when_it_goes_live(draft, askers, committed):
    draft.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        draft.save_revision().publish()  # approved for later: not live yet
    draft.refresh_from_db()
    assert not draft.live and not mail.outbox
    assert Question.objects.get(pk=askers[0].pk).status == Status.ACCEPTED

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), committed():
        call_command("publish_scheduled", stdout=mock.Mock())
    draft.refresh_from_db()
    assert draft.live
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert Question.objects.get(pk=askers[0].pk).status == Status.ANSWERED


def test_importing_the_answer_with_publish_tells_the_asker(make_article, make_question, committed):
    # The editor accepted the question; the answer was written elsewhere and is imported.
    draft = make_article(question=HICCUPS, publish=False)
    make_question(
        HICCUPS, status=Status.ACCEPTED, article=draft, email="fizzy@example.org", confirmed=True
    )
    with committed():
        call_command(
            "import_articles", str(FIXTURES / "hiccups.txt"), "--publish", stdout=mock.Mock()
        )
    draft.refresh_from_db()
    assert draft.live  # the import updated the draft rather than making a second article
    [message] = mail.outbox
    assert message.to == ["fizzy@example.org"]
    assert draft.full_url in message.body


def test_publishing_an_article_nobody_asked_for_queues_nothing(make_article, committed):
    target = "healthpress.questions.tasks.send_answered_notices"
    with mock.patch(target) as task, committed():
        make_article(question="Why do my knees click?")
    task.enqueue.assert_not_called()


def test_a_second_run_or_a_second_worker_sends_nothing_twice(draft, askers, committed):
    main, merged, _ = askers
    # Another worker already claimed the first asker's email.
    Question.objects.filter(pk=main.pk).update(notified_at=timezone.now())
    publish(draft, committed)
    assert [m.to[0] for m in mail.outbox] == ["second@example.org"]
    assert send_answered_notices.call(draft.pk) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_and_sent_by_the_next_run(draft, askers, smtp_server, committed):
    main, merged, _ = askers
    Question.objects.filter(pk=merged.pk).update(email="", email_confirmed_at=None)
    draft.get_latest_revision().publish()  # its commit never comes: the task is run by hand
    smtp_server.reject_next = ["451 4.3.0 <first@example.org> try again later"]
    # The task's failure is stored with its traceback: it names the question, not the address.
    with pytest.raises(EmailNotSent, match=f"question {main.pk}: SMTPDataError 451") as failed:
        send_answered_notices.call(draft.pk)
    assert "first@example.org" not in "".join(traceback.format_exception(failed.value))
    main.refresh_from_db()
    assert main.status == Status.ANSWERED and main.notified_at is None
    assert not smtp_server.messages

    assert send_answered_notices.call(draft.pk) == 1
    assert recipients(smtp_server) == ["first@example.org"]
    assert send_answered_notices.call(draft.pk) == 0


def test_an_article_unpublished_before_the_task_runs_answers_nobody(draft, askers):
    assert send_answered_notices.call(draft.pk) == 0  # still a draft
    assert not mail.outbox
    assert Question.objects.filter(status=Status.ACCEPTED).count() == 1


# The count on the article ----------------------------------------------------------------------


def test_the_article_says_how_many_readers_questions_it_answers(client, draft, askers, committed):
    publish(draft, committed)
    html = client.get(draft.url).content.decode()
    assert (
        '<p class="byline__questions"><a href="/questions/answered/">'
        "Answers 3 readers&#x27; questions</a></p>" in html
    )
    for private in (DETAILS, "zx-merged-4410", "first@example.org", "unconfirmed@example.org"):
        assert private not in html


def test_an_article_without_questions_has_no_note(client, make_article):
    page = make_article()
    assert "byline__questions" not in client.get(page.url).content.decode()


def test_duplicates_count_and_a_new_duplicate_purges_the_cached_article(
    client, make_article, make_question, page_cache_on, committed
):
    page = make_article(question="Why do my knees click?")
    make_question("Knees clicking on stairs?", status=Status.DECLINED)
    make_question("Knees clicking?")  # new, not linked to anything
    assert "byline__questions" not in client.get(page.url).content.decode()
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    # An editor finds the article answers a new question (Question.mark_duplicate's outcome).
    with committed():
        duplicate = make_question("Clicky knees?", status=Status.DUPLICATE, article=page)
    html = client.get(page.url).content.decode()
    assert "Answers 1 reader&#x27;s question<" in html

    with committed():
        make_question("Knees click?", status=Status.MERGED, merged_into=duplicate, article=page)
    html = client.get(page.url).content.decode()
    assert "Answers 2 readers" in html


def test_marking_a_duplicate_in_triage_updates_the_cached_article(
    client, make_article, make_question, page_cache_on, committed
):
    page = make_article(question="Why do my knees click?")
    question = make_question("Clicky knees?")
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    with committed():
        triage.mark_duplicate(question, page)
    assert "Answers 1 reader&#x27;s question<" in client.get(page.url).content.decode()


def test_the_count_costs_no_query_once_warm(client, draft, askers, committed):
    publish(draft, committed)
    warm(client, draft.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = client.get(draft.url).content.decode()
    assert "Answers 3 readers" in html
    assert len(queries) <= ARTICLE_QUERIES
    assert not [q for q in queries if "questions_question" in q["sql"]]


# /questions/answered/ and its feeds -------------------------------------------------------------


@pytest.fixture
def answered(make_article, make_question, committed):
    """Two articles written for readers' questions and published a day apart; one more live
    article nobody asked for, one answering a question only as a duplicate, and a draft that an
    accepted question still waits for."""

    def answer(question, details, day):
        page = make_article(question=question, publish=False, short_answer=f"Short: {question}")
        make_question(question, status=Status.ACCEPTED, article=page, details=details)
        when = timezone.make_aware(datetime.datetime(2026, 11, day, 9))
        with mock.patch("django.utils.timezone.now", return_value=when):
            publish(page, committed)
        return page

    older = answer("Why do my calves cramp when I swim?", "zx-older-details", 10)
    newer = answer("Why do my feet cramp in bed?", "zx-newer-details", 12)
    unasked = make_article(question="Why do my knees click?")
    make_question("Clicky knees?", status=Status.DUPLICATE, article=unasked)
    waiting = make_article(question="Why do my hands cramp when I write?", publish=False)
    make_question(waiting.title, status=Status.ACCEPTED, article=waiting)
    return newer, older, unasked, waiting


def test_answered_listing_shows_the_articles_newest_answer_first(client, answered):
    newer, older, unasked, waiting = answered
    response = client.get("/questions/answered/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert f'href="{newer.url}"' in html and "Short: Why do my feet cramp in bed?" in html
    assert '<time datetime="2026-11-12">' in html
    assert unasked.title not in html and waiting.title not in html
    assert "zx-older-details" not in html and "zx-newer-details" not in html
    assert '<link rel="canonical" href="http://localhost/questions/answered/">' in html
    assert 'href="/questions/answered/rss/"' in html and 'href="/questions/answered/atom/"' in html


def test_answered_listing_is_paginated_canonically(client, answered, settings):
    settings.ARTICLES_PER_PAGE = 1
    newer, older, *_ = answered
    first = client.get("/questions/answered/").content.decode()
    second = client.get("/questions/answered/?page=2")
    assert newer.title in first and older.title not in first
    assert second.status_code == 200 and older.title in second.content.decode()
    assert (
        '<link rel="canonical" href="http://localhost/questions/answered/?page=2">'
        in second.content.decode()
    )
    redirect = client.get("/questions/answered/?page=1")
    assert redirect.status_code == 301 and redirect["Location"] == "/questions/answered/"
    for query in ("page=3", "page=abc", "page=02", "page=2&page=2", "cpage=2"):
        assert client.get(f"/questions/answered/?{query}").status_code == 404, query


def test_answered_listing_is_cached_and_purged_by_a_new_answer(
    client, answered, make_article, make_question, page_cache_on, committed
):
    client.get("/questions/answered/")
    assert client.get("/questions/answered/")["X-Page-Cache"] == "hit"
    page = make_article(question="Why do my toes curl with cramp?", publish=False)
    make_question(page.title, status=Status.ACCEPTED, article=page)
    publish(page, committed)
    response = client.get("/questions/answered/")
    assert response["X-Page-Cache"] == "miss"
    assert page.title in response.content.decode()
    # A live answer unpublished leaves the listing too.
    with committed():
        page.unpublish()
    assert page.title not in client.get("/questions/answered/").content.decode()


@pytest.mark.parametrize(
    "path, kind", [("/questions/answered/rss/", "rss20"), ("/questions/answered/atom/", "atom10")]
)
def test_answered_feeds_list_the_articles_with_addresses_from_the_site(
    client, answered, path, kind
):
    newer, older, unasked, _ = answered
    # A host the Site does not know: every address still comes from the Site (localhost).
    response = client.get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == kind
    assert [e.title for e in feed.entries] == [newer.title, older.title]
    assert feed.entries[0].link == newer.full_url
    assert feed.entries[0].summary == "Short: Why do my feet cramp in bed?"
    assert feed.feed.link == "http://localhost/questions/answered/"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        "http://localhost" + path
    ]
    body = response.content.decode()
    assert "127.0.0.1" not in body
    assert "zx-older-details" not in body and "Clicky knees?" not in body
    assert client.get(path + "?page=2").status_code == 404


def test_the_listing_and_the_article_with_its_note_are_valid_html(
    client, answered, tmp_path, settings
):
    settings.ARTICLES_PER_PAGE = 1
    newer, *_ = answered
    pages = {
        "listing": client.get("/questions/answered/"),
        "listing-2": client.get("/questions/answered/?page=2"),
        "article": client.get(newer.url),
    }
    assert {r.status_code for r in pages.values()} == {200}
    assert "byline__questions" in pages["article"].content.decode()
    assert_valid_html(pages, tmp_path)
