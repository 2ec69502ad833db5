"""The asker's email confirmation: a signed, expiring link (django.core.signing) and the cap on
how often one address is mailed. Marking an address confirmed is `asking.confirm_email`; the
message is `emails.confirmation_email`.

Until its owner follows the link and presses the button, an address gets nothing but that one
email: every later message (declined, duplicate, answered) asks `Question.can_be_told`.

The link carries the question's id and a signature, never the address: a URL ends up in access
logs, browser history and mail scanners' reports. Erasing the address (or the question) is what
makes an old link confirm nothing. Links mailed before this change carried the address
(LEGACY_SALT): they still confirm until they expire, seven days after they were sent, and nothing
makes them any more.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from healthpress.core.site import absolute

from .models import Question

CONFIRM_SALT = "healthpress.questions.confirm-email.v2"
LEGACY_SALT = "healthpress.questions.confirm-email"  # {"q": id, "e": address}: read, never made
LINK_MAX_AGE = 7 * 24 * 3600
CAP_WINDOW = timedelta(hours=24)


def make_token(question):
    return signing.dumps(question.pk, salt=CONFIRM_SALT)


def confirm_url(question):
    return absolute(reverse("questions:confirm_email", args=[make_token(question)]))


def read_token(token):
    """(question id, the address a legacy link names or None); raises signing.SignatureExpired
    after 7 days and signing.BadSignature for anything forged or malformed."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return _read_legacy(token)
    if type(payload) is not int:
        raise signing.BadSignature("malformed")
    return payload, None


def _read_legacy(token):
    payload = signing.loads(token, salt=LEGACY_SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict):
        raise signing.BadSignature("malformed")
    try:
        return int(payload["q"]), str(payload["e"])
    except (KeyError, TypeError, ValueError):
        raise signing.BadSignature("malformed") from None


def question_for(token):
    """The question a valid link names, or None when it no longer holds an address (erased), or
    no longer the one a legacy link was sent to."""
    question_id, address = read_token(token)
    questions = Question.objects.filter(pk=question_id).exclude(email="")
    if address is not None:
        questions = questions.filter(email__iexact=address)
    return questions.first()


def claim_confirmation(question_id, now=None):
    """Take the right to send this question's confirmation email: the question has an
    unconfirmed address, nobody sent its email yet, and that address was sent fewer than
    QUESTIONS_CONFIRMATIONS_PER_DAY confirmations in the last 24 hours, whichever questions they
    were for (as the newsletter allows one a hour per address: typing someone's address into
    /ask/ again and again must not fill their mailbox). Returns the question, or None.

    The address's questions are locked (in id order, so two sends for one address queue rather
    than deadlock) while counting: two sends at once cannot both take the last place."""
    now = now or timezone.now()
    question = Question.objects.filter(pk=question_id).exclude(email="").first()
    if question is None:
        return None
    with transaction.atomic():
        rows = list(
            Question.objects.select_for_update()
            .for_email(question.email)
            .order_by("pk")
            .values_list("pk", "email_confirmed_at", "confirmation_sent_at")
        )
        mine = next((row for row in rows if row[0] == question.pk), None)
        if mine is None or mine[1] is not None or mine[2] is not None:
            return None  # erased, confirmed or already sent meanwhile
        recent = sum(1 for *_, sent in rows if sent is not None and sent > now - CAP_WINDOW)
        if recent >= settings.QUESTIONS_CONFIRMATIONS_PER_DAY:
            return None
        Question.objects.filter(pk=question.pk).update(confirmation_sent_at=now)
    question.confirmation_sent_at = now
    return question


def release_confirmation(question_id):
    """A send that failed gives its place back, so the retry (or another question) may send."""
    Question.objects.filter(pk=question_id).update(confirmation_sent_at=None)
