"""The asker's email confirmation: one email with a signed link, sent through a real SMTP server
after the question is stored; a button (not the GET) confirms; expired links are a 410, forged
ones a 404; an address gets nothing else until confirmed."""

import base64
import binascii
import contextlib
import re
import time
import traceback
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from healthpress.questions import asking, confirmation, tasks
from healthpress.questions.models import Question
from healthpress.questions.tasks import EmailNotSent

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def link_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(url for url in LINK.findall(text) if "/ask/confirm/" in url)


def path_of(url):
    return url.split("testserver", 1)[1]


@pytest.fixture
def asked(ask, committed):
    """Ask a question with an email, through the form, running what waits for the commit."""

    def send(email="ana@example.org", **fields):
        with committed():
            response = ask(action="ask", email=email, **fields)
        assert response.status_code == 303
        return Question.objects.latest("pk")

    return send


def test_the_round_trip_through_a_real_smtp_server(asked, client, smtp_server):
    question = asked(
        email="Ana@Example.ORG", question="Is my rash contagious?", details="Secret detail."
    )
    assert question.email == "Ana@example.org" and question.email_confirmed_at is None
    [message] = smtp_server.to("Ana@example.org")
    assert message["Subject"] == "Confirm your email address for HealthPress"
    body = message.get_body(preferencelist=("plain",)).get_content()
    # The address is not yet known to be the asker's: the email says nothing of the question.
    assert "rash" not in body and "Secret detail" not in body
    assert "works for 7 days" in body

    url = path_of(link_in(message))
    opened = client.get(url)
    assert opened.status_code == 200
    assert "Confirm my email address" in opened.content.decode()
    assert "no-store" in opened["Cache-Control"] and opened["Referrer-Policy"] == "no-referrer"
    question.refresh_from_db()
    assert question.email_confirmed_at is None  # a link scanner's GET confirms nothing
    assert not question.can_be_told

    done = client.post(url)
    assert done.status_code == 200
    assert "Your email address is confirmed" in done.content.decode()
    question.refresh_from_db()
    confirmed_at = question.email_confirmed_at
    assert confirmed_at is not None and question.can_be_told

    again = client.post(url)
    assert again.status_code == 200
    question.refresh_from_db()
    assert question.email_confirmed_at == confirmed_at  # confirmed once
    assert "Your email address is confirmed" in client.get(url).content.decode()
    assert len(smtp_server.messages) == 1  # nothing else was sent


def test_no_email_given_nothing_is_sent(asked, smtp_server):
    asked(email="")
    assert smtp_server.messages == []


def test_a_question_dropped_as_automated_sends_no_email(ask, committed, smtp_server):
    with committed():
        ask(action="ask", email="victim@example.org", website="http://spam.example")
    assert Question.objects.count() == 0 and smtp_server.messages == []


def test_the_confirmation_is_sent_once_even_if_the_task_runs_again(asked, smtp_server):
    question = asked()
    assert tasks.send_email_confirmation.call(question.pk) == 0
    assert len(smtp_server.messages) == 1


def test_a_failed_send_keeps_the_question_and_can_be_sent_again(asked, smtp_server):
    smtp_server.reject_next = ["451 Try again later"]
    question = asked()
    assert smtp_server.messages == []
    assert Question.objects.filter(pk=question.pk).exists()
    assert tasks.send_email_confirmation.call(question.pk) == 1  # the retry
    assert len(smtp_server.to("ana@example.org")) == 1


def test_a_confirmed_address_gets_no_second_confirmation(asked, smtp_server):
    question = asked()
    asking.confirm_email(question)
    smtp_server.messages.clear()
    cache.clear()  # even without the claim of the first send
    assert tasks.send_email_confirmation.call(question.pk) == 0
    assert smtp_server.messages == []


def test_an_expired_link_is_a_410(asked, client, monkeypatch):
    question = asked()
    url = f"/ask/confirm/{confirmation.make_token(question)}/"
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 8 * 86400)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    question.refresh_from_db()
    assert question.email_confirmed_at is None


def test_a_link_still_works_on_its_seventh_day(asked, client, monkeypatch):
    question = asked()
    url = f"/ask/confirm/{confirmation.make_token(question)}/"
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 7 * 86400 - 60)
    assert client.post(url).status_code == 200
    question.refresh_from_db()
    assert question.email_confirmed_at is not None


def test_forged_and_foreign_links_are_not_found(asked, client):
    question = asked()
    token = confirmation.make_token(question)
    other_salt = signing.dumps(question.pk, salt="elsewhere")
    not_an_id = signing.dumps({"q": question.pk}, salt=confirmation.CONFIRM_SALT)
    legacy_not_a_dict = signing.dumps([question.pk], salt=confirmation.LEGACY_SALT)
    for bad in (token[:-2] + "xx", "forged", other_salt, not_an_id, legacy_not_a_dict):
        assert client.get(f"/ask/confirm/{bad}/").status_code == 404
        assert client.post(f"/ask/confirm/{bad}/").status_code == 404
    question.refresh_from_db()
    assert question.email_confirmed_at is None


def test_a_link_for_an_erased_address_confirms_nothing(asked, client):
    question = asked()
    url = f"/ask/confirm/{confirmation.make_token(question)}/"
    Question.objects.filter(pk=question.pk).update(email="")
    response = client.post(url)
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    question.refresh_from_db()
    assert question.email_confirmed_at is None


def test_confirming_from_another_site_is_refused(asked, client):
    question = asked()
    url = f"/ask/confirm/{confirmation.make_token(question)}/"
    assert client.post(url, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    question.refresh_from_db()
    assert question.email_confirmed_at is None


def test_an_asker_who_confirms_after_the_answer_went_out_is_told_then(
    asked, client, committed, make_article, smtp_server
):
    from django.utils import timezone

    from healthpress.questions.models import Status

    question = asked(email="late@example.org", question="Do cramps come from swimming?")
    url = path_of(link_in(smtp_server.to("late@example.org")[0]))
    article = make_article(question="Do cramps come from swimming?")
    Question.objects.filter(pk=question.pk).update(
        status=Status.ANSWERED, article=article, answered_at=timezone.now()
    )
    with committed():
        assert client.post(url).status_code == 200
    told = smtp_server.to("late@example.org")
    assert len(told) == 2  # the confirmation, then the answer
    assert article.full_url in told[1].get_body(preferencelist=("plain",)).get_content()
    with committed():
        client.post(url)  # pressed again: nobody is told twice
    assert len(smtp_server.to("late@example.org")) == 2


# The link carries no address (issue 24) ----------------------------------------------------------


def decoded_parts(token):
    """Every piece of a signed value as text, whatever base64 it is in."""
    parts = [token]
    for piece in re.split(r"[:/.]", token):
        with contextlib.suppress(binascii.Error, ValueError):
            parts.append(
                base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4)).decode("latin-1")
            )
    return parts


def test_the_emailed_link_carries_no_address_in_any_form(asked, smtp_server):
    question = asked(email="Carrie.Linkless@Example.org")
    url = link_in(smtp_server.to("Carrie.Linkless@example.org")[0])
    for part in decoded_parts(url.rstrip("/").rsplit("/", 1)[1]):
        assert "linkless" not in part.lower(), part
    assert str(question.pk) in decoded_parts(confirmation.make_token(question))[1]


def test_a_link_mailed_before_the_change_still_confirms_until_it_expires(asked, client):
    """Links sent before this change carried the address; they are honoured for the seven days
    they were promised, and never made again."""
    question = asked(email="old@example.org")
    legacy = signing.dumps(
        {"q": question.pk, "e": "OLD@example.org"}, salt=confirmation.LEGACY_SALT
    )
    assert client.get(f"/ask/confirm/{legacy}/").status_code == 200
    assert client.post(f"/ask/confirm/{legacy}/").status_code == 200
    question.refresh_from_db()
    assert question.email_confirmed_at is not None


def test_an_old_link_for_another_or_erased_address_confirms_nothing(asked, client):
    question = asked(email="old@example.org")
    other = signing.dumps(
        {"q": question.pk, "e": "else@example.org"}, salt=confirmation.LEGACY_SALT
    )
    response = client.post(f"/ask/confirm/{other}/")
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    question.refresh_from_db()
    assert question.email_confirmed_at is None


def test_an_expired_old_link_is_a_410(asked, client, monkeypatch):
    question = asked(email="old@example.org")
    legacy = signing.dumps({"q": question.pk, "e": question.email}, salt=confirmation.LEGACY_SALT)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 8 * 86400)
    assert client.post(f"/ask/confirm/{legacy}/").status_code == 410


# At most QUESTIONS_CONFIRMATIONS_PER_DAY confirmations to one address (issue 24) -----------------


def test_one_address_gets_at_most_three_confirmations_a_day(asked, smtp_server):
    """Typing someone's address into /ask/ again and again does not fill their mailbox: from
    any number of networks, in any case, the address gets three links in 24 hours."""
    questions = [
        asked(email=email, question=f"Is this question number {n} of mine?")
        for n, email in enumerate(["victim@example.org", "Victim@example.org"] * 3)
    ]
    assert len(smtp_server.to("victim@example.org") + smtp_server.to("Victim@example.org")) == 3
    asked(email="someone.else@example.org")
    assert len(smtp_server.to("someone.else@example.org")) == 1  # others are not held back
    # Every question is stored all the same; the three sent ones say so.
    assert sum(1 for q in questions if Question.objects.get(pk=q.pk).confirmation_sent_at) == 3

    # A day later the address may be sent one again.
    Question.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=24, minutes=1))
    asked(email="victim@example.org")
    assert len(smtp_server.to("victim@example.org") + smtp_server.to("Victim@example.org")) == 4


def test_the_cap_follows_the_setting(asked, smtp_server, settings):
    settings.QUESTIONS_CONFIRMATIONS_PER_DAY = 1
    asked(email="capped@example.org")
    asked(email="capped@example.org", question="A second question of mine?")
    assert len(smtp_server.to("capped@example.org")) == 1


def test_a_failed_send_gives_its_place_back_and_names_no_address(asked, smtp_server):
    """The task's failure is what the database task backend stores (its traceback): a mail
    server's refusal quoting the address must not end up there."""
    refusal = "550 5.1.1 <refused.reader@example.org>: Recipient rejected"
    smtp_server.reject_next = [refusal, refusal]
    question = asked(email="refused.reader@example.org")  # the first send, refused
    with pytest.raises(EmailNotSent) as failed:
        tasks.send_email_confirmation.call(question.pk)  # the retry, refused again
    stored = "".join(traceback.format_exception(failed.value))
    assert f"question {question.pk}: SMTPDataError 550" in stored
    assert "refused.reader" not in stored
    result = tasks.send_email_confirmation.enqueue(question.pk)  # as the backend runs it
    assert result.status == "SUCCESSFUL" and len(smtp_server.to("refused.reader@example.org")) == 1
