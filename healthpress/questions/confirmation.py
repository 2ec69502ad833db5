"""The asker's email confirmation: a signed, expiring link (django.core.signing) and the one
function that marks an address confirmed.

Until its owner follows the link and presses the button, an address gets nothing but that one
email: every later message (declined, duplicate, answered) asks `Question.can_be_told`. The token
names the question and the address it was sent to, so a question whose address was erased or
changed since cannot be confirmed by an old link.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Question, Status

CONFIRM_SALT = "healthpress.questions.confirm-email"
LINK_MAX_AGE = 7 * 24 * 3600


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def make_token(question):
    return signing.dumps({"q": question.pk, "e": question.email.lower()}, salt=CONFIRM_SALT)


def confirm_url(question):
    return absolute(reverse("questions:confirm_email", args=[make_token(question)]))


def read_token(token):
    """(question id, address) from a link; raises signing.SignatureExpired after 7 days and
    signing.BadSignature for anything forged or malformed."""
    payload = signing.loads(token, salt=CONFIRM_SALT, max_age=LINK_MAX_AGE)
    if not isinstance(payload, dict):
        raise signing.BadSignature("malformed")
    try:
        return int(payload["q"]), str(payload["e"])
    except (KeyError, TypeError, ValueError):
        raise signing.BadSignature("malformed") from None


def question_for(token):
    """The question a valid link names, or None when it no longer holds that address."""
    question_id, address = read_token(token)
    return Question.objects.filter(pk=question_id, email__iexact=address).exclude(email="").first()


def confirm_email(question):
    """Mark the address confirmed (once: a second press changes nothing). True if it changed."""
    changed = Question.objects.filter(pk=question.pk, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )
    question.refresh_from_db(fields=["email_confirmed_at", "status", "article", "notified_at"])
    if changed and question.status == Status.ANSWERED and question.article_id:
        # Confirmed after the answer went out: this asker is told now, not at the next publish.
        from .answer_tasks import send_answered_notices

        article_id = question.article_id
        transaction.on_commit(lambda: send_answered_notices.enqueue(article_id))
    return bool(changed)


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
