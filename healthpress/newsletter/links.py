"""Absolute links for emails, built on the site's public address (BASE_URL)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from healthpress.core.site import absolute

from . import tokens


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def site_domain():
    return urlsplit(base_url()).hostname or "localhost"


def confirm_url(subscriber):
    token = tokens.make_token(subscriber, tokens.CONFIRM)
    return absolute(reverse("newsletter:confirm", args=[token]))


def preferences_path(subscriber):
    """The subscriber's preference page; the link works for NEWSLETTER_MANAGE_MAX_AGE."""
    return reverse(
        "newsletter:preferences", args=[tokens.make_token(subscriber, tokens.PREFERENCES)]
    )


def unsubscribe_path(subscriber):
    """The subscriber's one-click unsubscribe address; the link never expires."""
    return reverse(
        "newsletter:unsubscribe", args=[tokens.make_token(subscriber, tokens.UNSUBSCRIBE)]
    )


def preferences_url(subscriber):
    return absolute(preferences_path(subscriber))


def unsubscribe_url(subscriber):
    return absolute(unsubscribe_path(subscriber))


def page_url(page):
    return absolute(page.get_url() or "/")
