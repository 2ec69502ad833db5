"""Was this page helpful? The rules for readers' votes and "What was missing?" notes, which
the views (feedback_views.py), the page hook (wagtail_hooks.py) and prune_feedback all use.

- One vote per article per reader network per day. The network is the truncated address the
  rate limits use (core/clients.client_key); it is kept only as VoteSeen.network, an HMAC of the
  network with SECRET_KEY and the day, so it can neither be turned back into an address nor
  matched across days. The table's unique constraint is the rule: a second INSERT fails and the
  vote is not counted, however many arrive at once.
- Counts are per article per day (FeedbackDay), raised with F() so concurrent votes add up.
- Notes are cleaned like comments (core/cleaning.clean_text), never shown on a public page and
  never emailed.
- Retention (prune): VoteSeen only for the day it is about; notes and daily counts for
  FEEDBACK_DAYS days.

The article's thank-you states are query values of its own URL (`?feedback=thanks`, `missing`,
`noted`), the same for every reader, so the page cache keeps one copy of each.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac

from healthpress.articles.models import ArticlePage
from healthpress.core.canonical_params import single_value
from healthpress.core.cleaning import clean_text

from .models import MISSING_MAX, FeedbackDay, MissingNote, VoteSeen

PARAM = "feedback"
THANKS = "thanks"  # after Yes
MISSING = "missing"  # after No: the thank-you and the "What was missing?" box
NOTED = "noted"  # after the note was sent
STATES = (THANKS, MISSING, NOTED)


def open_article(article_id):
    """The live, public article a vote names, or None (a draft, a private page, another kind of
    page, an id that is no page)."""
    if not 0 < article_id < 2**63:
        return None
    return (
        ArticlePage.objects.live()
        .public()
        .filter(pk=article_id)
        .only("id", "path", "depth", "url_path", "title", "live", "locale")
        .first()
    )


def state_url(article, state, request=None):
    """The one address of an article's feedback state, with the box in view."""
    return f"{article.get_url(request)}?{PARAM}={state}#feedback"


def read_state(query):
    """The feedback state `query` (request.GET) asks for: "" when none; Http404 for any value or
    spelling our links do not write, so the page cache stores no other copy."""
    value = single_value(query, PARAM)
    if value is None:
        return ""
    if value not in STATES:
        raise Http404("Unknown feedback state")
    return value


def network_hash(network, day):
    """The keyed, daily hash stored for a network's vote: 64 hex characters."""
    return salted_hmac(f"healthpress.health.vote:{day.isoformat()}", network, algorithm="sha256")


def record_vote(article, helpful, network, day=None):
    """Count one Yes (`helpful`) or No for `article`, unless `network` has voted on it today.
    Returns True when the vote was counted."""
    day = day or timezone.localdate()
    field = "yes" if helpful else "no"
    with transaction.atomic():
        try:
            with transaction.atomic():
                VoteSeen.objects.create(
                    article=article, day=day, network=network_hash(network, day).hexdigest()
                )
        except IntegrityError:
            return False
        counted = FeedbackDay.objects.filter(article=article, day=day)
        if not counted.update(**{field: F(field) + 1}):
            FeedbackDay.objects.get_or_create(article=article, day=day)
            counted.update(**{field: F(field) + 1})
    return True


def clean_note(text):
    """The note as stored: plain text (HTML removed), at most MISSING_MAX characters."""
    return clean_text(text)[:MISSING_MAX].strip()


def record_missing(article, text):
    """Store a reader's "What was missing?" note; None when nothing is left after cleaning."""
    text = clean_note(text)
    if not text:
        return None
    return MissingNote.objects.create(article=article, text=text)


def prune(now=None):
    """Delete what the retention rules say has gone: every VoteSeen row of a day before today,
    notes and daily counts older than FEEDBACK_DAYS. Returns the numbers deleted, by kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    keep = datetime.timedelta(days=settings.FEEDBACK_DAYS)
    return {
        "vote records": VoteSeen.objects.filter(day__lt=today).delete()[0],
        "notes": MissingNote.objects.filter(created_at__lt=now - keep).delete()[0],
        "daily counts": FeedbackDay.objects.filter(day__lt=today - keep).delete()[0],
    }
