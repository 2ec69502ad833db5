"""Signing up: double opt-in through a real SMTP server, no enumeration, no bombing, consent."""

import pytest
from django.core import signing

from healthpress.newsletter import tokens
from healthpress.newsletter.models import CONSENT_WORDING_VERSION, Subscriber
from tests.conftest import BrowserLikeClient

from .conftest import html_part, link_in, text_part

SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def post_subscribe(client, email, **extra):
    return client.post("/newsletter/subscribe/", {"email": email}, **SAME_SITE, **extra)


@pytest.mark.django_db
def test_subscribing_stores_pending_then_one_click_confirms_and_lands_on_preferences(
    client, smtp_server, topic
):
    response = post_subscribe(client, "Reader@Example.ORG", REMOTE_ADDR="203.0.113.77")
    assert response.status_code == 303
    assert response["Location"] == "/newsletter/check-your-email/"

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@example.org"  # domain lower-cased, local part kept
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_ip == "203.0.113.0"
    assert subscriber.consent_wording == CONSENT_WORDING_VERSION
    assert subscriber.consent_source == "form" and subscriber.consent_at

    [message] = smtp_server.to("Reader@example.org")
    assert "Confirm" in message["Subject"]
    confirm = link_in(message, "/newsletter/confirm/")
    assert confirm in html_part(message)  # the same link in the HTML part
    assert 'style="' in html_part(message)  # CSS inlined by css-inline
    assert "<style" not in html_part(message)

    # A link scanner's GET shows the page but confirms nothing.
    page = client.get(confirm)
    assert page.status_code == 200
    assert b"Confirm my subscription" in page.content
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))
    assert page["Referrer-Policy"] == "no-referrer"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    # The reader's one click (the button POSTs the signed link) confirms, with optional choices.
    landed = client.post(
        confirm,
        {"topic_scope": "chosen", "topics": [topic.pk], "frequency": "instant"},
        **SAME_SITE,
        follow=True,
    )
    assert landed.redirect_chain[-1][0].startswith("/newsletter/preferences/")
    assert b"You are subscribed" in landed.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at and subscriber.articles_since == subscriber.confirmed_at
    assert subscriber.frequency == "instant"
    assert not subscriber.all_topics and list(subscriber.topics.all()) == [topic]


@pytest.mark.django_db
def test_new_pending_and_confirmed_addresses_get_the_same_page(
    client, smtp_server, make_subscriber
):
    make_subscriber("confirmed@example.org")
    post_subscribe(client, "pending@example.org")
    pages = [post_subscribe(client, e) for e in ("new@example.org", "pending@example.org")]
    pages.append(post_subscribe(client, "confirmed@example.org"))
    assert {(p.status_code, p["Location"]) for p in pages} == {
        (303, "/newsletter/check-your-email/")
    }
    landing = client.get("/newsletter/check-your-email/")
    assert b"If this address can receive our newsletter" in landing.content
    # The known confirmed address gets its preference link by email, never on the page.
    [manage] = smtp_server.to("confirmed@example.org")
    assert "/newsletter/preferences/" in text_part(manage)


@pytest.mark.django_db
def test_at_most_one_confirmation_email_per_address_per_hour(client, smtp_server):
    for _ in range(4):
        assert post_subscribe(client, "victim@example.org").status_code == 303
    assert len(smtp_server.to("victim@example.org")) == 1


@pytest.mark.django_db
def test_the_form_is_rate_limited_per_client_with_a_readable_429(client, smtp_server):
    codes = [
        post_subscribe(client, f"r{n}@example.org", REMOTE_ADDR="198.51.100.9").status_code
        for n in range(7)
    ]
    assert codes[:5] == [303] * 5 and codes[5:] == [429, 429]
    limited = post_subscribe(client, "x@example.org", REMOTE_ADDR="198.51.100.10")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert b"Too many attempts" in limited.content
    # Another network is not affected.
    assert post_subscribe(client, "y@example.org", REMOTE_ADDR="192.0.2.1").status_code == 303


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "a@example.org\r\nBcc: everyone@example.org",
        "a@example.org\nSubject: spam",
        "bcc: a@example.org",
        "a@example.org\x00",
    ],
)
def test_header_injection_is_refused_with_400_and_a_clear_message(client, email):
    response = post_subscribe(client, email)
    assert response.status_code == 400
    assert b"line breaks or email header text" in response.content
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_line_breaks_in_any_field_are_refused(client):
    response = client.post(
        "/newsletter/subscribe/", {"email": "a@example.org", "x": "1\r\n2"}, **SAME_SITE
    )
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ["", "not-an-address", "a@b", "@example.org", "x" * 250 + "@example.org"]
)
def test_invalid_addresses_get_the_form_back_with_a_message(client, email):
    response = post_subscribe(client, email)
    assert response.status_code == 400
    assert b"field__error" in response.content
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_cross_site_posts_are_refused(client):
    response = client.post(
        "/newsletter/subscribe/", {"email": "a@example.org"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_no_csrf_token_is_needed_on_the_cached_sign_up_box():
    strict = BrowserLikeClient(enforce_csrf_checks=True)
    assert post_subscribe(strict, "a@example.org").status_code == 303


@pytest.mark.django_db
def test_expired_and_tampered_confirmation_links_give_a_clear_400(
    client, make_subscriber, settings
):
    subscriber = make_subscriber("p@example.org", status=Subscriber.Status.PENDING)
    token = tokens.make_token(subscriber, tokens.CONFIRM)
    tampered = client.get(f"/newsletter/confirm/{token[:-2]}xx/")
    assert tampered.status_code == 400
    assert b"This link does not work" in tampered.content
    assert b"Send me a new link" in tampered.content
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    expired = client.post(f"/newsletter/confirm/{token}/", **SAME_SITE)
    assert expired.status_code == 400
    assert b"This link has expired" in expired.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "x" * 2000,
        "%00",
        signing.dumps(["1", "k"], salt=tokens.CONFIRM),
        signing.dumps("plain", salt=tokens.CONFIRM),
        signing.dumps([1, 2, 3], salt=tokens.CONFIRM),
    ],
    # Fixed names: the signed tokens carry a timestamp, and xdist's workers must collect the
    # same test ids.
    ids=["garbage", "long", "nul", "signed-list", "signed-string", "signed-numbers"],
)
def test_hostile_tokens_never_cause_a_500(client, token):
    for prefix in ("confirm", "preferences", "unsubscribe"):
        assert client.get(f"/newsletter/{prefix}/{token}/").status_code in (400, 404)
        assert client.post(f"/newsletter/{prefix}/{token}/", **SAME_SITE).status_code in (400, 404)


@pytest.mark.django_db
def test_a_confirm_token_cannot_be_used_as_an_unsubscribe_token(client, make_subscriber):
    subscriber = make_subscriber("c@example.org")
    token = tokens.make_token(subscriber, tokens.CONFIRM)
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_unsubscribed_reader_who_signs_up_again_must_confirm_again(
    client, smtp_server, make_subscriber
):
    make_subscriber("back@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    post_subscribe(client, "back@example.org", REMOTE_ADDR="192.0.2.44")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_ip == "192.0.2.0"
    [message] = smtp_server.to("back@example.org")
    assert "Confirm" in message["Subject"]
