"""Signed links in emails (django.core.signing): the link is the reader's only credential.

A token carries the subscriber's id and their `token_key`; rotating the key revokes every link
sent so far. Confirmation links expire after NEWSLETTER_CONFIRM_MAX_AGE (7 days); preference and
unsubscribe links do not, because an unsubscribe link in a year-old email must still work.
"""

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM = "newsletter.confirm"
MANAGE = "newsletter.manage"


class BadToken(Exception):
    """Tampered, expired, or for a subscriber who no longer exists."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(subscriber, purpose):
    return signing.dumps([subscriber.pk, subscriber.token_key], salt=purpose, compress=False)


def left_by(token):
    """The subscriber a revoked manage link names, if they have left: a mail provider repeating
    a one-click unsubscribe (RFC 8058) must still get "unsubscribed", and nothing more."""
    if not isinstance(token, str) or len(token) > 300:
        return None
    try:
        pk, _ = signing.loads(token, salt=MANAGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    return Subscriber.objects.filter(pk=pk, status=Subscriber.Status.UNSUBSCRIBED).first()


def read_token(token, purpose):
    """The subscriber the token was made for, or BadToken."""
    max_age = settings.NEWSLETTER_CONFIRM_MAX_AGE if purpose == CONFIRM else None
    if not isinstance(token, str) or len(token) > 300:
        raise BadToken()
    try:
        pk, key = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken(expired=True) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken() from error
    subscriber = Subscriber.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if subscriber is None or subscriber.token_key != key:
        raise BadToken()
    return subscriber
