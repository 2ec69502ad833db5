"""Taking in a reader's question: what a bot looks like, storing a person's question first (its
confirmation email after the commit), and the one function that marks an address confirmed.

A question is stored only from the last step of /ask/ ("Send my question"), from a form that was
validated again there. A submission that fills the hidden trap field or comes back sooner than a
person can type (the signed fill time, core/fill_token.py) is not stored at all: the sender gets
the same landing as a person, and only a count without any of its text reaches the log.
"""

import logging
import time

from django.core import signing
from django.db import transaction
from django.utils import timezone

from healthpress.core.fill_token import (
    FILL_TOKEN_SALT,
    fill_token,
    filled_too_fast,
    max_token_age,
    min_fill_seconds,
)

from . import tasks
from .models import CONSENT_WORDING_VERSION, AlreadyAnsweredCount, Question, Status
from .red_flags import red_flags_in

log = logging.getLogger(__name__)
FILL_SCOPE = "ask"
RED_FLAGS_MAX = Question._meta.get_field("red_flags").max_length


def looks_automated(data):
    """True for the trap field filled or a fill time no person achieves (or a forged one)."""
    return bool(data.get("website")) or filled_too_fast(data.get("started"), FILL_SCOPE)


def renewed_fill_token(token, now=None):
    """The token the matches step carries on. A genuine /ask/ token that has outlived
    max_token_age() (a tab left open for a day) belongs to a person who has just typed a
    question: it is replaced by a fresh one, dated as if the form had been filled at the minimum
    speed, so their question is not dropped as a bot's. A bot gains nothing it could not get from
    GET /ask/; anything else (forged, another form's, too young) is carried on unchanged."""
    try:
        scope, issued = signing.loads(token or "", salt=FILL_TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return token
    now = time.time() if now is None else now
    if scope != FILL_SCOPE or now - issued <= max_token_age():
        return token
    return fill_token(FILL_SCOPE, now - min_fill_seconds())


def urgent_terms(question, details=""):
    return red_flags_in(question, details)


def ask_question(data):
    """Store a validated form's question and return it, or None for an automated submission.
    Nothing after the INSERT can lose it; the confirmation email goes out after the commit."""
    if looks_automated(data):
        log.info("question dropped: automated submission")
        return None
    flags = urgent_terms(data["question"], data["details"])
    now = timezone.now()
    question = Question.objects.create(
        question=data["question"],
        details=data["details"],
        topic=data.get("topic"),
        email=data["email"],
        consent_version=CONSENT_WORDING_VERSION,
        consented_at=now,
        created_at=now,
        flagged=bool(flags),
        red_flags=", ".join(flags)[:RED_FLAGS_MAX],
    )
    if question.email:
        transaction.on_commit(lambda: tasks.send_email_confirmation.enqueue(question.pk))
    return question


def already_answered(data):
    """The reader found their answer among the matches: one more in today's count, nothing else
    kept. Automated submissions do not count."""
    if looks_automated(data):
        return False
    AlreadyAnsweredCount.add_one()
    return True


def confirm_email(question):
    """Mark the address confirmed (once: a second press changes nothing). True if it changed."""
    changed = (
        Question.objects.filter(pk=question.pk, email_confirmed_at__isnull=True)
        .exclude(email="")
        .update(email_confirmed_at=timezone.now())
    )
    question.refresh_from_db(fields=["email_confirmed_at", "status", "article", "notified_at"])
    if changed and question.status == Status.ANSWERED and question.article_id:
        # Confirmed after the answer went out: this asker is told now, not at the next publish.
        article_id = question.article_id
        transaction.on_commit(lambda: tasks.send_answered_notices.enqueue(article_id))
    return bool(changed)
