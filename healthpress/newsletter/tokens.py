"""Signed links in emails (django.core.signing): the link is the reader's only credential.

A token carries one random key of the subscriber's, looked up in the database: never the
address, nor the subscriber's id (a link in a forwarded email, a proxy's log or the browser's
history names nobody). Three kinds, each with its own salt so none can stand for another:

- confirm (`newsletter.confirm`): `token_key`, expires after NEWSLETTER_CONFIRM_MAX_AGE (7 days);
- preferences (`newsletter.preferences`): `token_key`, expires after NEWSLETTER_MANAGE_MAX_AGE
  (30 days), so a forwarded newsletter opens someone's preferences for a month at most; the
  expired page mails a fresh link to the address on request, without showing it;
- unsubscribe (`newsletter.unsubscribe`): `unsubscribe_key`, signed without a timestamp and never
  rotated: it never expires (RFC 8058: the link in a year-old email must still work) and can do
  nothing but unsubscribe; the page it opens names nobody.

Rotating `token_key`, which unsubscribing does, revokes every confirm and preference link sent
so far. Links mailed before this scheme (salt `newsletter.manage`, payload [id, token_key]) are
still read: as an unsubscribe link for ever, as a preference link for NEWSLETTER_MANAGE_MAX_AGE
after they were sent; confirm links of that shape until they expire.
"""

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM = "newsletter.confirm"
PREFERENCES = "newsletter.preferences"
UNSUBSCRIBE = "newsletter.unsubscribe"
LEGACY_MANAGE = "newsletter.manage"  # preference and unsubscribe links mailed before
MAX_LENGTH = 300


class BadToken(Exception):
    """Tampered, expired, or for a subscriber who no longer exists. An expired token whose
    subscriber is still there carries them in `subscriber`, so the page can offer a new link."""

    def __init__(self, expired=False, subscriber=None):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired
        self.subscriber = subscriber


def make_token(subscriber, purpose):
    if purpose == UNSUBSCRIBE:
        return signing.Signer(salt=UNSUBSCRIBE).sign_object(subscriber.unsubscribe_key)
    return signing.dumps(subscriber.token_key, salt=purpose, compress=False)


def _max_age(purpose):
    if purpose == CONFIRM:
        return settings.NEWSLETTER_CONFIRM_MAX_AGE
    return settings.NEWSLETTER_MANAGE_MAX_AGE


def _subscriber(payload):
    """The subscriber a confirm or preference payload names: a key (now) or [id, key]
    (links mailed before); None when there is none, or the key was rotated since."""
    if isinstance(payload, str):
        return Subscriber.objects.filter(token_key=payload).first()
    if isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int):
        subscriber = Subscriber.objects.filter(pk=payload[0]).first()
        if subscriber is not None and subscriber.token_key == payload[1]:
            return subscriber
    return None


def _load(token, salt, max_age):
    """signing.loads, with an expired token read once more without the bound so that the page
    can tell "expired" (and offer a new link) from "forged"."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age), False
    except signing.SignatureExpired:
        return signing.loads(token, salt=salt), True


def read_token(token, purpose):
    """The subscriber a confirm or preference token was made for, or BadToken."""
    if not isinstance(token, str) or len(token) > MAX_LENGTH:
        raise BadToken()
    payload, expired = _verified(token, purpose)
    subscriber = _subscriber(payload)
    if expired:
        raise BadToken(expired=True, subscriber=subscriber)
    if subscriber is None:
        raise BadToken()
    return subscriber


def _verified(token, purpose):
    """(payload, expired) of a token signed for `purpose`, or BadToken."""
    salts = [CONFIRM] if purpose == CONFIRM else [PREFERENCES, LEGACY_MANAGE]
    for salt in salts:
        try:
            return _load(token, salt, _max_age(purpose))
        except (signing.BadSignature, ValueError, TypeError):
            continue
    raise BadToken()


def read_unsubscribe_token(token):
    """The subscriber an unsubscribe link was made for, whenever it was mailed, or BadToken.

    A link mailed before this scheme was revoked by leaving (its key was rotated); it still names
    the subscriber while they stay unsubscribed, so that a mail provider repeating a one-click
    unsubscribe gets "unsubscribed" again."""
    if not isinstance(token, str) or len(token) > MAX_LENGTH:
        raise BadToken()
    try:
        key = signing.Signer(salt=UNSUBSCRIBE).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return _legacy_unsubscribe(token)
    subscriber = None
    if isinstance(key, str):
        subscriber = Subscriber.objects.filter(unsubscribe_key=key).first()
    if subscriber is None:
        raise BadToken()
    return subscriber


def _legacy_unsubscribe(token):
    try:
        payload = signing.loads(token, salt=LEGACY_MANAGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken() from None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise BadToken()
    subscriber = Subscriber.objects.filter(pk=payload[0]).first()
    if subscriber is None:
        raise BadToken()
    left = subscriber.status == Subscriber.Status.UNSUBSCRIBED
    if subscriber.token_key != payload[1] and not left:
        raise BadToken()
    return subscriber
