"""Preferences and leaving, by following the links in received emails exactly as a reader or a
mail client would."""

import pytest
from django.test import Client

from healthpress.newsletter.models import Subscriber
from healthpress.newsletter.pipeline import send_newsletter

from .conftest import link_in, list_unsubscribe_path

pytestmark = pytest.mark.django_db
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def newsletter(smtp_server, make_subscriber, make_article):
    subscriber = make_subscriber("reader@example.org")
    make_article()
    send_newsletter()
    [message] = smtp_server.to("reader@example.org")
    return subscriber, message


def test_rfc8058_one_click_post_unsubscribes_with_no_csrf_token_and_no_other_step(newsletter):
    subscriber, message = newsletter
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider posts from its servers
    response = mail_client.post(
        list_unsubscribe_path(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    # Posting again is harmless.
    assert mail_client.post(list_unsubscribe_path(message)).status_code == 200


def test_a_get_on_the_unsubscribe_link_only_shows_a_button(client, newsletter):
    subscriber, message = newsletter
    link = link_in(message, "/newsletter/unsubscribe/")
    page = client.get(link)
    assert page.status_code == 200
    assert b'<button class="button" type="submit">Unsubscribe</button>' in page.content
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    # The button posts the same body a mail client would.
    assert b'name="List-Unsubscribe" value="One-Click"' in page.content
    client.post(link, {"List-Unsubscribe": "One-Click"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_preferences_from_the_email_change_topics_frequency_and_pause(client, newsletter, topic):
    subscriber, message = newsletter
    link = link_in(message, "/newsletter/preferences/")
    page = client.get(link)
    assert page.status_code == 200 and b"r\xe2\x80\xa6@example.org" in page.content  # r…@
    saved = client.post(
        link,
        {"topic_scope": "chosen", "topics": [topic.pk], "frequency": "weekly", "paused": "on"},
        **SAME_SITE,
        follow=True,
    )
    assert b"Your preferences are saved." in saved.content
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly" and subscriber.paused
    assert list(subscriber.topics.all()) == [topic] and not subscriber.all_topics


def test_choosing_no_topic_is_explained_not_saved(client, newsletter):
    subscriber, message = newsletter
    link = link_in(message, "/newsletter/preferences/")
    response = client.post(link, {"topic_scope": "chosen", "frequency": "weekly"}, **SAME_SITE)
    assert response.status_code == 400
    assert b"Choose at least one topic" in response.content
    subscriber.refresh_from_db()
    assert subscriber.all_topics


def test_hostile_preference_values_are_refused(client, newsletter):
    subscriber, message = newsletter
    link = link_in(message, "/newsletter/preferences/")
    for data in (
        {"topic_scope": "all", "frequency": "hourly"},
        {"topic_scope": "all", "frequency": "weekly", "topics": ["999999", "x"]},
        {"topic_scope": "everything", "frequency": "weekly"},
    ):
        assert client.post(link, data, **SAME_SITE).status_code == 400
    injected = {"topic_scope": "all", "frequency": "weekly\r\nBcc: x@example.org"}
    assert client.post(link, injected, **SAME_SITE).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.frequency == "instant"


def test_preferences_cannot_be_changed_cross_site(client, newsletter):
    subscriber, message = newsletter
    link = link_in(message, "/newsletter/preferences/")
    data = {"topic_scope": "all", "frequency": "weekly", "paused": "on"}
    assert client.post(link, data, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    subscriber.refresh_from_db()
    assert not subscriber.paused


def test_unsubscribing_revokes_every_mailed_link(client, newsletter):
    subscriber, message = newsletter
    before = client.get(list_unsubscribe_path(message)).content
    landing = client.post(list_unsubscribe_path(message))
    assert landing.status_code == 200
    old_preferences = link_in(message, "/newsletter/preferences/")
    assert client.get(old_preferences).status_code == 400  # a forwarded email brings nobody back
    assert client.post(old_preferences, {"action": "resubscribe"}, **SAME_SITE).status_code == 400
    # The unsubscribe link itself keeps working, and tells nobody that the address has left.
    again = client.get(list_unsubscribe_path(message))
    assert again.status_code == 200 and again.content == before
    assert b"/newsletter/preferences/" not in again.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_coming_back_after_unsubscribing_needs_a_fresh_confirmation(
    client, newsletter, smtp_server
):
    subscriber, message = newsletter
    landing = client.post(list_unsubscribe_path(message)).content.decode()
    assert 'href="/newsletter/subscribe/"' in landing and "/newsletter/preferences/" not in landing
    sent_before = len(smtp_server.to("reader@example.org"))
    client.post("/newsletter/subscribe/", {"email": "reader@example.org"}, **SAME_SITE)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # not receiving until confirmed
    [confirmation] = smtp_server.to("reader@example.org")[sent_before:]
    confirm = link_in(confirmation, "/newsletter/confirm/")
    client.post(confirm, **SAME_SITE)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_erasing_an_address_revokes_its_links(client, newsletter):
    from healthpress.newsletter.data import erase_address

    _, message = newsletter
    assert erase_address("READER@example.org")
    assert client.get(list_unsubscribe_path(message)).status_code == 400
    assert not Subscriber.objects.exists()
