"""The newsletter as a reader meets it in Chromium: subscribe from an article, confirm from the
email the real SMTP server received, choose topics; axe-core finds nothing on those pages."""

import re
from unittest import mock

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

LINK = re.compile(r"https?://\S+")


def link_from(message, fragment):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(url for url in LINK.findall(text) if fragment in url)


def test_subscribe_from_an_article_confirm_from_the_email_and_choose_topics(
    site, browser_page, assert_accessible, smtp_server, settings
):
    from django.core.cache import cache

    from healthpress.newsletter.models import Subscriber

    cache.clear()
    settings.WAGTAILADMIN_BASE_URL = site["base"]  # links in emails point at the live server
    page = browser_page
    page.goto(site["article"])
    box = page.locator(".newsletter")
    box.get_by_label("Email address").fill("reader@example.org")
    box.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/newsletter/check-your-email/")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)

    [message] = smtp_server.to("reader@example.org")
    page.goto(link_from(message, "/newsletter/confirm/"))
    assert page.get_by_role("heading", name="Confirm your subscription").is_visible()
    # The demo has subscribers of its own (healthpress/demo/activity.py).
    mine = Subscriber.objects.filter(email="reader@example.org")
    assert mine.get().status == "pending"  # opening the link confirmed nothing
    assert_accessible(page)

    page.get_by_text("Optional: choose topics and how often").click()
    page.get_by_label("Only the topics I choose").check()
    topic_boxes = page.locator("input[name=topics]")
    chosen = topic_boxes.first.evaluate("box => box.labels[0].textContent")
    topic_boxes.first.check()
    page.get_by_label("Each new article").check()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm with these choices").click()

    page.wait_for_url("**/newsletter/preferences/**")
    assert page.get_by_text("You are subscribed. Welcome!").is_visible()
    assert page.get_by_label(chosen.strip()).is_checked()
    assert_accessible(page)
    subscriber = mine.get()
    assert subscriber.status == "confirmed" and subscriber.frequency == "instant"
    assert [t.title for t in subscriber.topics.all()] == [chosen.strip()]

    # Pause from the preference page, then look at the unsubscribe page.
    page.get_by_label("Pause the newsletter for now").check()
    page.get_by_role("button", name="Save preferences").click()
    assert page.get_by_text("Your preferences are saved.").is_visible()
    subscriber.refresh_from_db()
    assert subscriber.paused
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", name="You are unsubscribed").is_visible()
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_error_pages_of_the_newsletter_pass_axe(site, browser_page, assert_accessible):
    page = browser_page
    response = page.goto(site["base"] + "/newsletter/confirm/not-a-real-token/")
    assert response.status == 400
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    assert_accessible(page)
    # An expired preference link: one button mails a new one, and the page names nobody.
    from django.core import signing

    from healthpress.newsletter import tokens
    from healthpress.newsletter.models import Subscriber

    reader = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    with mock.patch.object(signing.TimestampSigner, "timestamp", lambda self: "1"):
        expired = tokens.make_token(reader, tokens.PREFERENCES)  # signed in 1970
    response = page.goto(site["base"] + f"/newsletter/preferences/{expired}/")
    assert response.status == 400
    assert page.get_by_role("heading", name="This link has expired").is_visible()
    page.get_by_role("button", name="Email me a new link").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert "reader" not in page.content()
    assert_accessible(page)
    page.goto(site["base"] + "/newsletter/subscribe/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    assert page.locator(".field__error").is_visible()
    assert_accessible(page)


def test_screenshot_newsletter_pages(site, browser_page, smtp_server, settings):
    """`make screenshot`: the confirmation and preference pages, for the docs."""
    import os
    from pathlib import Path

    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        pytest.skip("set SCREENSHOT_DIR to take screenshots")
    from django.core.cache import cache

    cache.clear()
    settings.WAGTAILADMIN_BASE_URL = site["base"]
    page = browser_page
    page.goto(site["article"])
    page.locator(".newsletter").get_by_label("Email address").fill("reader@example.org")
    page.locator(".newsletter").get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/check-your-email/")
    [message] = smtp_server.to("reader@example.org")
    page.goto(link_from(message, "/newsletter/confirm/"))
    page.get_by_text("Optional: choose topics and how often").click()
    page.screenshot(path=str(Path(folder) / "newsletter-confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirm my subscription").click()
    page.wait_for_url("**/newsletter/preferences/**")
    page.screenshot(path=str(Path(folder) / "newsletter-preferences.png"), full_page=True)
