"""Links in emails: the moderator's link to a comment's page in the admin, and the commenter's
signed, expiring confirmation link.

A moderator decides only after signing in to the admin (issue 15): the digest links to the
comment's admin page, never to a token that acts. Tokens mailed before that change are still
read, only to send their holder to that page (views.moderate_by_link); none is made any more.
Commenters confirm their own comment without an account, so theirs stays a token:
django.core.signing, naming one comment and its address, checked against the comment's state.
"""

from django.core import signing
from django.urls import reverse

from healthpress.core.site import absolute

MODERATION_SALT = "healthpress.comments.moderate"  # only to read links already mailed
CONFIRM_SALT = "healthpress.comments.confirm"
LINK_MAX_AGE = 7 * 24 * 3600


def moderation_page_url(comment):
    """The comment's page in the admin: a sign-in first, then the moderator's buttons."""
    return absolute(reverse("comments_detail", args=[comment.pk]))


def read_moderation_token(token):
    """The comment id in an approve/reject link mailed before moderation needed a login; raises
    signing.BadSignature (SignatureExpired once its 7 days are over, which they all soon are)."""
    payload = signing.loads(token, salt=MODERATION_SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict):
        raise signing.BadSignature("malformed")
    return int(payload["c"])


def confirm_url(comment):
    token = signing.dumps({"c": comment.pk, "e": comment.email.lower()}, salt=CONFIRM_SALT)
    return absolute(reverse("comments:confirm", args=[token]))


def read_confirm_token(token):
    payload = signing.loads(token, salt=CONFIRM_SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict):
        raise signing.BadSignature("malformed")
    return int(payload["c"]), str(payload["e"])
