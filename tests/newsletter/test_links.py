"""What the links in newsletter emails carry and how long they work: a random key only (no
address, no id); preference links for 30 days, with a new one mailed on request; one-click
unsubscribe links for ever, opening pages that name nobody; links mailed before still work."""

import json
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing

from healthpress.newsletter import tokens
from healthpress.newsletter.models import Subscriber
from healthpress.newsletter.pipeline import send_newsletter

from .conftest import link_in, list_unsubscribe_path

pytestmark = pytest.mark.django_db
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}
DAY = timedelta(days=1).total_seconds()


@contextmanager
def days_ago(days):
    """Links made inside the block carry a signing time `days` ago (emails sent back then)."""
    sent = signing.b62_encode(int(time.time() - days * DAY))
    with mock.patch.object(signing.TimestampSigner, "timestamp", lambda self: sent):
        yield


def payload(path):
    """What the token in a link's path carries, decoded (signed, never encrypted)."""
    token = path.rstrip("/").rsplit("/", 1)[1]
    return json.loads(signing.b64_decode(token.split(":")[0].encode()))


def legacy_token(subscriber, salt="newsletter.manage"):
    """A link as mailed before: [id, token_key], signed with a timestamp."""
    return signing.dumps([subscriber.pk, subscriber.token_key], salt=salt, compress=False)


@pytest.fixture
def reader(make_subscriber):
    return make_subscriber("reader@example.org")


@pytest.fixture
def newsletter(smtp_server, reader, make_article):
    make_article()
    send_newsletter()
    [message] = smtp_server.to("reader@example.org")
    return message


def test_every_emailed_link_carries_a_random_key_and_nothing_else(
    newsletter, reader, make_subscriber, smtp_server, client
):
    pending = make_subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    client.post("/newsletter/subscribe/", {"email": "pending@example.org"}, **SAME_SITE)
    [confirmation] = smtp_server.to("pending@example.org")
    carried = {
        "preferences": (payload(link_in(newsletter, "/newsletter/preferences/")), reader),
        "unsubscribe": (payload(link_in(newsletter, "/newsletter/unsubscribe/")), reader),
        "List-Unsubscribe": (payload(list_unsubscribe_path(newsletter)), reader),
        "confirm": (payload(link_in(confirmation, "/newsletter/confirm/")), pending),
    }
    for kind, (value, subscriber) in carried.items():
        assert isinstance(value, str), (kind, value)  # not [id, key]
        assert value in (subscriber.token_key, subscriber.unsubscribe_key), kind
    assert carried["unsubscribe"][0] == reader.unsubscribe_key != reader.token_key


def test_the_unsubscribe_pages_name_nobody_whatever_the_state(newsletter, client):
    link = list_unsubscribe_path(newsletter)
    page = client.get(link)
    landing = client.post(link, {"List-Unsubscribe": "One-Click"})
    after = client.get(link)
    for response in (page, landing, after):
        assert response.status_code == 200
        assert b"reader" not in response.content and b"example.org" not in response.content
    assert after.content == page.content  # nothing tells that the address has left


def test_the_preference_page_shows_the_address_masked(newsletter, client):
    page = client.get(link_in(newsletter, "/newsletter/preferences/")).content.decode()
    assert "r…@example.org" in page and "reader@example.org" not in page


def emailed_preference_link(smtp_server, subscriber, days):
    """The preference link of a "manage your subscription" email sent `days` ago."""
    from healthpress.newsletter.tasks import send_subscription_email

    with days_ago(days):
        send_subscription_email.call(subscriber.pk)
    return link_in(smtp_server.to(subscriber.email)[-1], "/newsletter/preferences/")


def test_a_preference_link_works_for_30_days(reader, client, smtp_server):
    recent = emailed_preference_link(smtp_server, reader, 29)
    old = emailed_preference_link(smtp_server, reader, 31)
    assert client.get(recent).status_code == 200
    expired = client.get(old)
    assert expired.status_code == 400
    assert b"This link has expired" in expired.content
    assert b"Email me a new link" in expired.content
    assert b"reader" not in expired.content
    data = {"topic_scope": "all", "frequency": "weekly", "paused": "on"}
    assert client.post(old, data, **SAME_SITE).status_code == 400
    reader.refresh_from_db()
    assert not reader.paused


def test_an_expired_preference_link_mails_a_new_one_once_an_hour(reader, client, smtp_server):
    old = emailed_preference_link(smtp_server, reader, 40)
    smtp_server.messages.clear()
    asked = client.post(old, {"action": "new-link"}, **SAME_SITE)
    assert asked.status_code == 200 and b"a new link is on its way" in asked.content
    assert b"reader" not in asked.content
    [mailed] = smtp_server.to("reader@example.org")
    fresh = link_in(mailed, "/newsletter/preferences/")
    assert client.get(fresh).status_code == 200
    again = client.post(old, {"action": "new-link"}, **SAME_SITE)
    assert again.content == asked.content
    assert len(smtp_server.to("reader@example.org")) == 1  # one per address per hour
    refused = client.post(old, {"action": "new-link"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403


def test_asking_for_a_new_link_answers_the_same_whether_or_not_anything_is_sent(
    make_subscriber, client, smtp_server
):
    staying = make_subscriber("staying@example.org")
    leaving = make_subscriber("leaving@example.org")
    staying_link, leaving_link = (
        emailed_preference_link(smtp_server, s, 40) for s in (staying, leaving)
    )
    smtp_server.messages.clear()
    leaving.unsubscribe()
    answers = [
        client.post(link, {"action": "new-link"}, **SAME_SITE).content
        for link in (staying_link, leaving_link)
    ]
    assert answers[0] == answers[1]
    assert len(smtp_server.to("staying@example.org")) == 1
    assert smtp_server.to("leaving@example.org") == []


def test_asking_for_new_links_is_rate_limited_per_network(make_subscriber, client, smtp_server):
    people = [make_subscriber(f"p{n}@example.org") for n in range(6)]
    old = [emailed_preference_link(smtp_server, p, 40) for p in people]
    codes = [
        client.post(link, {"action": "new-link"}, REMOTE_ADDR="198.51.100.7", **SAME_SITE)
        for link in old
    ]
    assert [c.status_code for c in codes] == [200] * 5 + [429]


def test_a_one_click_unsubscribe_link_never_expires(reader, client, settings):
    token = tokens.make_token(reader, tokens.UNSUBSCRIBE)
    assert token.count(":") == 1  # signed without a timestamp: nothing to expire
    settings.NEWSLETTER_MANAGE_MAX_AGE = settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    response = client.post(
        f"/newsletter/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_each_kind_of_link_does_only_its_own_job(reader, client):
    preferences = tokens.make_token(reader, tokens.PREFERENCES)
    unsubscribe = tokens.make_token(reader, tokens.UNSUBSCRIBE)
    assert client.post(f"/newsletter/unsubscribe/{preferences}/").status_code == 400
    assert client.get(f"/newsletter/preferences/{unsubscribe}/").status_code == 400
    assert client.get(f"/newsletter/confirm/{preferences}/").status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


def test_an_old_format_unsubscribe_link_still_unsubscribes_years_later(reader, client):
    with days_ago(3 * 365):
        token = legacy_token(reader)
    page = client.get(f"/newsletter/unsubscribe/{token}/")
    assert page.status_code == 200 and b"reader" not in page.content
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    # A mail provider repeating the one-click POST still gets "unsubscribed".
    repeated = client.post(f"/newsletter/unsubscribe/{token}/")
    assert repeated.status_code == 200 and b"You are unsubscribed" in repeated.content


def test_old_format_preference_and_confirm_links_work_until_they_expire(
    reader, make_subscriber, client
):
    with days_ago(2):
        recent = legacy_token(reader)
    with days_ago(31):
        old = legacy_token(reader)
    assert client.get(f"/newsletter/preferences/{recent}/").status_code == 200
    assert b"This link has expired" in client.get(f"/newsletter/preferences/{old}/").content
    pending = make_subscriber("p@example.org", status=Subscriber.Status.PENDING)
    confirm = legacy_token(pending, salt=tokens.CONFIRM)
    client.post(f"/newsletter/confirm/{confirm}/", **SAME_SITE)
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.CONFIRMED
