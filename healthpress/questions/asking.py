"""Taking in a reader's question: what a bot looks like, and storing a person's question first,
its confirmation email after the commit.

A question is stored only from the last step of /ask/ ("Send my question"), from a form that was
validated again there. A submission that fills the hidden trap field or comes back sooner than a
person can type (the signed fill time, core/fill_token.py) is not stored at all: the sender gets
the same landing as a person, and only a count without any of its text reaches the log.
"""

import logging

from django.db import transaction
from django.utils import timezone

from healthpress.core.fill_token import filled_too_fast

from . import tasks
from .models import CONSENT_WORDING_VERSION, AlreadyAnsweredCount, Question
from .red_flags import red_flags_in

log = logging.getLogger(__name__)
FILL_SCOPE = "ask"
RED_FLAGS_MAX = Question._meta.get_field("red_flags").max_length


def looks_automated(data):
    """True for the trap field filled or a fill time no person achieves (or a forged one)."""
    return bool(data.get("website")) or filled_too_fast(data.get("started"), FILL_SCOPE)


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
