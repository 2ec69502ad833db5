"""Absolute links for emails, built on the site's public address (BASE_URL)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from . import tokens


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(path):
    return path if path.startswith(("http://", "https://")) else base_url() + path


def site_domain():
    return urlsplit(base_url()).hostname or "localhost"


def confirm_url(subscriber):
    token = tokens.make_token(subscriber, tokens.CONFIRM)
    return absolute(reverse("newsletter:confirm", args=[token]))


def manage_token(subscriber):
    return tokens.make_token(subscriber, tokens.MANAGE)


def preferences_url(subscriber, token=None):
    token = token or manage_token(subscriber)
    return absolute(reverse("newsletter:preferences", args=[token]))


def unsubscribe_url(subscriber, token=None):
    token = token or manage_token(subscriber)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def page_url(page):
    return absolute(page.get_url() or "/")
