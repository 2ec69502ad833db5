"""Sending through a real SMTP server: content, headers, exactly once, failures and bounces."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from healthpress.newsletter.models import Delivery, Edition, Subscriber
from healthpress.newsletter.pipeline import send_newsletter

from .conftest import html_part, link_in, list_unsubscribe_path, publish_at, text_part

pytestmark = pytest.mark.django_db


def test_an_edition_carries_the_new_articles_links_and_the_rfc8058_headers(
    smtp_server, make_subscriber, make_article, settings
):
    settings.NEWSLETTER_IDENTITY = "HealthPress Ltd, 1 Example Street, Exampletown"
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "unsubscribe@example.org"
    subscriber = make_subscriber("reader@example.org")
    old = publish_at(make_article("An old question?"), timezone.now() - timedelta(days=60))
    make_article("Why do my legs cramp at night?", short_answer="Mostly tired muscles.")

    summary = send_newsletter()
    assert (summary.sent, summary.failed, summary.pending) == (1, 0, 0)
    [message] = smtp_server.to("reader@example.org")
    text, html = text_part(message), html_part(message)
    assert message["Subject"] == "New on HealthPress: Why do my legs cramp at night?"
    assert "Mostly tired muscles." in text and "Mostly tired muscles." in html
    assert old.title not in text  # published before the subscriber joined
    assert "http://testserver/muscles-bones-and-joints/" in text
    assert "HealthPress Ltd, 1 Example Street, Exampletown" in text
    assert "HealthPress Ltd, 1 Example Street, Exampletown" in html
    assert "<style" not in html and 'style="' in html

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"].strip()  # long: folded after the colon
    assert header.startswith("<http://testserver/newsletter/unsubscribe/")
    assert "<mailto:unsubscribe@example.org?subject=unsubscribe>" in header
    assert message["List-Id"] == "HealthPress newsletter <newsletter.testserver>"
    edition = Edition.objects.get()
    assert message["Message-ID"] == f"<newsletter.e{edition.pk}.s{subscriber.pk}@testserver>"
    # The visible unsubscribe link and the header point at the same place.
    assert link_in(message, "/newsletter/unsubscribe/") == list_unsubscribe_path(message)

    subscriber.refresh_from_db()
    assert subscriber.articles_since == edition.cutoff and subscriber.last_sent_at
    # Nothing new: nothing sent, no empty edition.
    assert send_newsletter().editions == []
    assert len(smtp_server.messages) == 1 and Edition.objects.count() == 1


def test_topics_frequency_and_pause_decide_who_gets_what(
    smtp_server, make_subscriber, make_article, home
):
    from healthpress.core.site import get_or_create_topic

    skin, _ = get_or_create_topic("Skin")
    make_subscriber("all@example.org")
    skin_only = make_subscriber("skin@example.org", all_topics=False)
    skin_only.topics.set([skin])
    make_subscriber("paused@example.org", paused=True)
    make_subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    make_subscriber("weekly-recent@example.org", frequency="weekly", confirmed_days_ago=2)
    weekly = make_subscriber("weekly@example.org", frequency="weekly", confirmed_days_ago=9)
    make_article("Why do my legs cramp at night?")

    send_newsletter()
    received = sorted(m["X-Envelope-To"] for m in smtp_server.messages)
    assert received == ["all@example.org", "weekly@example.org"]
    weekly.refresh_from_db()
    assert weekly.last_sent_at is not None

    # Next run: one new article in Skin; the weekly reader is not due for 7 more days.
    from healthpress.articles.content import save_article
    from tests.conftest import make_article_content

    save_article(make_article_content("Is this rash serious?"), topic=skin, publish=True)
    send_newsletter()
    second_run = sorted(m["X-Envelope-To"] for m in smtp_server.messages[2:])
    assert second_run == ["all@example.org", "skin@example.org"]
    [skin_message] = smtp_server.to("skin@example.org")
    assert skin_message["Subject"] == "New on HealthPress: Is this rash serious?"
    [_, second] = smtp_server.to("all@example.org")
    assert "Is this rash serious?" in second["Subject"]
    assert "legs cramp" not in text_part(second)  # already sent in the first edition


def test_a_digest_with_several_articles_lists_them_all(smtp_server, make_subscriber, make_article):
    make_subscriber("weekly@example.org", frequency="weekly", confirmed_days_ago=10)
    for question in ("First question?", "Second question?", "Third question?"):
        make_article(question)
    send_newsletter()
    [message] = smtp_server.messages
    assert message["Subject"] == "3 new articles on HealthPress"
    text = text_part(message)
    assert all(q in text for q in ("First question?", "Second question?", "Third question?"))


def test_temporary_451_is_retried_with_backoff_and_then_succeeds(
    smtp_server, make_subscriber, make_article
):
    for n in range(3):
        make_subscriber(f"r{n}@example.org")
    make_article()
    smtp_server.reject_next = ["451 4.3.0 Try again later"] * 2
    summary = send_newsletter()
    assert (summary.sent, summary.retried, summary.failed, summary.pending) == (3, 2, 0, 0)
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == [
        "r0@example.org",
        "r1@example.org",
        "r2@example.org",
    ]


def test_a_550_for_one_address_is_recorded_and_the_others_are_unaffected(
    smtp_server, make_subscriber, make_article, settings
):
    settings.NEWSLETTER_HARD_BOUNCE_LIMIT = 2
    make_subscriber("a@example.org")
    bad = make_subscriber("gone@example.org")
    make_subscriber("c@example.org")
    make_article()

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        if address == "gone@example.org":
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = handle_RCPT
    summary = send_newsletter()
    assert (summary.sent, summary.failed, summary.pending) == (2, 1, 0)
    failed = Delivery.objects.get(subscriber=bad)
    assert failed.status == Delivery.Status.FAILED and "550" in failed.last_error
    bad.refresh_from_db()
    assert bad.hard_bounces == 1 and bad.status == Subscriber.Status.CONFIRMED
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == [
        "a@example.org",
        "c@example.org",
    ]
    assert Edition.objects.get().finished_at is not None

    # A second hard bounce reaches the limit: the address is suppressed and not tried again.
    make_article("Another question?")
    send_newsletter()
    bad.refresh_from_db()
    assert bad.hard_bounces == 2 and bad.status == Subscriber.Status.SUPPRESSED
    make_article("A third question?")
    send_newsletter()
    assert Delivery.objects.filter(subscriber=bad).count() == 2


@pytest.fixture
def stoppable_server(smtp_server, settings):
    """The fixture's sink served by a controller of our own, so a test can stop and restart it
    on the same port (an aiosmtpd controller cannot be started twice)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_PORT = port
    running = []

    def start():
        controller = Controller(smtp_server, hostname="127.0.0.1", port=port)
        controller.start()
        running.append(controller)

    def stop():
        running.pop().stop()

    smtp_server.start, smtp_server.stop = start, stop
    start()
    yield smtp_server
    while running:
        stop()


def test_server_stopped_mid_run_then_the_next_run_resumes_without_duplicates(
    stoppable_server, make_subscriber, make_article, settings
):
    smtp_server = stoppable_server
    settings.NEWSLETTER_BATCH_SIZE = 3
    for n in range(10):
        make_subscriber(f"r{n}@example.org")
    make_article()
    handle = type(smtp_server).handle_DATA

    async def stop_after_four(server, session, envelope):
        if len(smtp_server.messages) == 4:
            # The fifth message is refused as the server shuts down, like a restarting MTA.
            threading.Thread(target=smtp_server.stop).start()
            return "421 4.3.2 Shutting down"
        return await handle(smtp_server, server, session, envelope)

    smtp_server.handle_DATA = stop_after_four
    first = send_newsletter()
    assert first.sent == 4 and first.pending == 6 and "unavailable" in first.stopped_early
    edition = Edition.objects.get()
    assert edition.finished_at is None
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 6

    del smtp_server.handle_DATA
    smtp_server.start()
    second = send_newsletter()
    assert second.sent == 6 and second.pending == 0 and second.editions == [edition.pk]
    counts = {f"r{n}@example.org": len(smtp_server.to(f"r{n}@example.org")) for n in range(10)}
    assert set(counts.values()) == {1}
    edition.refresh_from_db()
    assert edition.finished_at is not None and edition.open_slot is None


def test_the_command_prints_a_summary_and_exits_1_while_messages_are_pending(
    smtp_server, make_subscriber, make_article, capsys, settings
):
    make_subscriber("a@example.org")
    make_article()
    settings.EMAIL_PORT = 1  # nothing listens there: every attempt is refused
    with pytest.raises(CommandError) as error:
        call_command("send_newsletter", "--no-progress")
    assert error.value.returncode == 1
    out = capsys.readouterr()
    assert "sent 0, skipped 0, retried 3, failed 0, still pending 1" in out.out
    assert "Stopped early: mail server unavailable" in out.err

    settings.EMAIL_PORT = smtp_server.port
    call_command("send_newsletter", "--no-progress")
    assert "sent 1, skipped 0, retried 0, failed 0, still pending 0" in capsys.readouterr().out
    assert len(smtp_server.to("a@example.org")) == 1
    call_command("send_newsletter", "--no-progress")
    assert "Nothing new to send." in capsys.readouterr().out


def test_unsubscribing_after_the_edition_was_built_skips_the_delivery(
    smtp_server, make_subscriber, make_article
):
    from healthpress.newsletter.editions import build, open_new_edition
    from healthpress.newsletter.lease import runner_id

    leaving = make_subscriber("leaving@example.org")
    make_subscriber("staying@example.org")
    make_article()
    edition = open_new_edition(runner_id(), timezone.now())
    build(edition)
    leaving.unsubscribe()
    summary = send_newsletter()
    assert (summary.sent, summary.skipped) == (1, 1)
    assert smtp_server.to("leaving@example.org") == []


def test_a_live_sender_holds_its_edition_and_a_second_one_backs_off(
    make_subscriber, make_article, smtp_server
):
    import os
    import socket

    make_subscriber("a@example.org")
    make_article()
    Edition.objects.create(
        cutoff=timezone.now(),
        runner=f"{socket.gethostname()}:{os.getppid()}",  # a process that is alive
        heartbeat_at=timezone.now(),
    )
    assert send_newsletter().busy
    assert smtp_server.messages == []
    # A duplicate open edition cannot even be created.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(cutoff=timezone.now())


def test_the_same_subscriber_cannot_get_two_deliveries_in_one_edition(make_subscriber):
    from django.db import IntegrityError, transaction

    subscriber = make_subscriber("a@example.org")
    edition = Edition.objects.create(cutoff=timezone.now())
    Delivery.objects.create(edition=edition, subscriber=subscriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(edition=edition, subscriber=subscriber)


def test_rate_limit_spaces_the_messages(smtp_server, make_subscriber, make_article, settings):
    settings.NEWSLETTER_MAX_PER_SECOND = 20
    for n in range(6):
        make_subscriber(f"r{n}@example.org")
    make_article()
    import time

    started = time.monotonic()
    assert send_newsletter().sent == 6
    assert time.monotonic() - started >= 5 / 20 * 0.9


def test_a_prebuilt_digest_matches_one_built_the_slow_way(make_subscriber, make_article):
    """The fast path (MIME bytes made once, personalised by markers) sends the same message."""
    import email
    import email.policy

    from healthpress.core.models import live_articles
    from healthpress.newsletter.emails import DigestRenderer, article_summary

    subscriber = make_subscriber("reader@example.org")
    articles = [article_summary(make_article(), {})]
    fast = DigestRenderer().message(subscriber, articles, "newsletter.e1.s1")
    assert fast.prebuilt is not None and live_articles().exists()
    slow_bytes = super(type(fast), fast).message().as_bytes()
    parse = lambda data: email.message_from_bytes(data, policy=email.policy.default)  # noqa: E731
    fast_message, slow_message = parse(fast.message().as_bytes()), parse(slow_bytes)
    for header in ("To", "From", "Subject", "Message-ID", "List-Unsubscribe", "List-Id"):
        assert str(fast_message[header]).strip() == str(slow_message[header]).strip(), header
    for kind in ("plain", "html"):
        fast_part = fast_message.get_body(preferencelist=(kind,)).get_content()
        assert fast_part == slow_message.get_body(preferencelist=(kind,)).get_content()
    assert "newsletter-" not in fast_message.as_string().replace("newsletter.e1", "")


def test_publishing_an_article_mails_each_new_article_subscribers_at_once(
    smtp_server, make_subscriber, make_article, django_capture_on_commit_callbacks
):
    make_subscriber("instant@example.org")
    make_subscriber("weekly@example.org", frequency="weekly", confirmed_days_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Just published?")
    [message] = smtp_server.messages
    assert message["X-Envelope-To"] == "instant@example.org"
    assert message["Subject"] == "New on HealthPress: Just published?"


def test_new_articles_outside_everyones_topics_leave_no_empty_edition(
    smtp_server, make_subscriber, make_article
):
    from healthpress.core.site import get_or_create_topic

    skin, _ = get_or_create_topic("Skin")
    make_subscriber("skin@example.org", all_topics=False).topics.set([skin])
    make_article()  # in "Muscles, bones and joints"
    assert send_newsletter().editions == []
    assert not Edition.objects.exists() and smtp_server.messages == []


def test_a_confirmation_email_that_could_not_be_sent_frees_the_hourly_slot(client, settings):
    from healthpress.newsletter.subscriptions import subscribe

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    subscriber = subscribe("reader@example.org")
    subscriber.refresh_from_db()
    assert subscriber.confirmation_sent_at is None
