"""Signed, expiring links in emails: a moderator's approve/reject, a commenter's confirmation.

django.core.signing only; each token names one comment and one action, and is checked against
the comment's current state, so it cannot be replayed on another comment or after a decision.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

MODERATION_SALT = "healthpress.comments.moderate"
CONFIRM_SALT = "healthpress.comments.confirm"
LINK_MAX_AGE = 7 * 24 * 3600
ACTIONS = ("approve", "reject")


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def moderation_token(comment, action, moderator):
    if action not in ACTIONS:
        raise ValueError(action)
    payload = {"c": comment.pk, "a": action, "m": moderator.pk if moderator else None}
    return signing.dumps(payload, salt=MODERATION_SALT)


def moderation_url(comment, action, moderator):
    token = moderation_token(comment, action, moderator)
    return absolute(reverse("comments:moderate", args=[token]))


def read_moderation_token(token):
    """(comment id, action, moderator id); raises signing.BadSignature (SignatureExpired too)."""
    payload = signing.loads(token, salt=MODERATION_SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict) or payload.get("a") not in ACTIONS:
        raise signing.BadSignature("malformed")
    return int(payload["c"]), payload["a"], payload.get("m")


def confirm_url(comment):
    token = signing.dumps({"c": comment.pk, "e": comment.email.lower()}, salt=CONFIRM_SALT)
    return absolute(reverse("comments:confirm", args=[token]))


def read_confirm_token(token):
    payload = signing.loads(token, salt=CONFIRM_SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict):
        raise signing.BadSignature("malformed")
    return int(payload["c"]), str(payload["e"])
