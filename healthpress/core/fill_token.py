"""The signed fill-time token every public form carries: when the form was rendered, and for
what (an article's id, or a form's name). A bot that posts at once, replays an old form or moves
a token to another form is caught without any JavaScript or cookie."""

import time

from django.conf import settings
from django.core import signing

# The salt predates the move from the comments app; keeping it keeps forms on cached pages valid.
FILL_TOKEN_SALT = "healthpress.comments.fill-time"


def min_fill_seconds():
    return getattr(settings, "COMMENTS_MIN_FILL_SECONDS", 3)


def max_token_age():
    """How long a rendered form stays good: the page cache's life plus a day for a tab left
    open. A token harvested once cannot be replayed by a bot for ever."""
    return settings.PAGE_CACHE_SECONDS + settings.COMMENTS_FORM_MAX_AGE_SECONDS


def fill_token(scope, issued_at=None):
    """A signed note of when the form was rendered, for `scope`. A cached page carries an older
    time, which only makes the check more lenient, never stricter, for a human."""
    issued = int(issued_at if issued_at is not None else time.time())
    return signing.dumps([scope, issued], salt=FILL_TOKEN_SALT, compress=False)


def filled_too_fast(token, scope, now=None):
    """True when the token is missing, forged, for another scope, younger than the minimum fill
    time or older than max_token_age(): all things a person using the form cannot cause."""
    try:
        token_scope, issued = signing.loads(token or "", salt=FILL_TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return True
    now = time.time() if now is None else now
    age = now - issued
    return token_scope != scope or not min_fill_seconds() <= age <= max_token_age()
