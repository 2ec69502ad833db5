"""The asker's email confirmation: a signed, expiring link (django.core.signing), the one
function that marks an address confirmed, and the cap on how often one address is mailed.

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
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Question, Status

CONFIRM_SALT = "healthpress.questions.confirm-email.v2"
LEGACY_SALT = "healthpress.questions.confirm-email"  # {"q": id, "e": address}: read, never made
LINK_MAX_AGE = 7 * 24 * 3600
CAP_WINDOW = timedelta(hours=24)


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


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
        from .answer_tasks import send_answered_notices

        article_id = question.article_id
        transaction.on_commit(lambda: send_answered_notices.enqueue(article_id))
    return bool(changed)


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


def confirmation_email(question):
    """The "confirm your address" message: the link, and nothing about the question itself (it
    may be health data, and the address is not yet known to be the asker's)."""
    body = render_to_string(
        "questions/email/confirm.txt",
        {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "url": confirm_url(question),
            "days": LINK_MAX_AGE // 86400,
        },
    )
    return EmailMessage(
        subject=f"Confirm your email address for {settings.WAGTAIL_SITE_NAME}",
        body=body,
        to=[question.email],
    )
