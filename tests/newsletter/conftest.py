"""Newsletter test helpers: links read from received emails, subscribers in a given state."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from healthpress.newsletter.models import Subscriber

LINK = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture(autouse=True)
def newsletter_settings(settings):
    settings.NEWSLETTER_RETRY_BACKOFF = 0.01
    settings.NEWSLETTER_MAX_RETRIES = 3
    settings.NEWSLETTER_MAX_PER_SECOND = 0
    # Worker threads would not see the test's open transaction; the subprocess tests use several.
    settings.NEWSLETTER_CONNECTIONS = 1
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


def text_part(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message):
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message, containing=""):
    """Every link in the plain-text part, as a path the test client can open."""
    found = []
    for url in LINK.findall(text_part(message)):
        parts = urlsplit(url)
        if containing in parts.path:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def link_in(message, containing):
    [link] = dict.fromkeys(links_in(message, containing))  # the same link may appear twice
    return link


def list_unsubscribe_path(message):
    header = message["List-Unsubscribe"]
    https = [u.strip("<> ") for u in header.split(",") if u.strip().startswith("<http")]
    return urlsplit(https[0]).path


@pytest.fixture
def make_subscriber(db):
    def make(email, frequency="instant", confirmed_days_ago=30, **fields):
        now = timezone.now()
        since = now - timedelta(days=confirmed_days_ago)
        return Subscriber.objects.create(
            email=email,
            status=fields.pop("status", Subscriber.Status.CONFIRMED),
            frequency=frequency,
            confirmed_at=since,
            consent_at=since,
            articles_since=since,
            **fields,
        )

    return make


def publish_at(page, when):
    """Move an article's first publication (tests of "new since")."""
    type(page).objects.filter(pk=page.pk).update(first_published_at=when)
    page.refresh_from_db()
    return page
