"""Background work for comments (django-tasks): moderator digests and reader emails.

Each task claims the rows it mails about (a timestamp set only where it is still empty), so a
task that runs twice sends nothing twice; a failed send releases the claim and is retried later.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from healthpress.core.retries import EmailNotSent, retry_later

from . import emails
from .models import Comment, Status
from .moderators import moderators_to_email

log = logging.getLogger(__name__)
DIGEST_SENT_KEY = "comments:digest:sent"
DIGEST_DEFERRED_KEY = "comments:digest:deferred"


def digest_window():
    return getattr(settings, "COMMENTS_DIGEST_MINUTES", 5) * 60


def can_defer():
    return default_task_backend.supports_defer


def schedule_moderator_digest():
    """At most one digest per window: the first comment sends one now, later ones in the same
    window share a single digest at the window's end."""
    window = digest_window()
    if cache.add(DIGEST_SENT_KEY, 1, timeout=window):
        send_moderator_digest.enqueue()
    elif can_defer() and cache.add(DIGEST_DEFERRED_KEY, 1, timeout=window):
        later = timezone.now() + timedelta(seconds=window)
        send_moderator_digest.using(run_after=later).enqueue()
    # Otherwise a digest is already due and will list this comment too.


def _claim(queryset, field, limit=500):
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            queryset.filter(**{f"{field}__isnull": True}).values_list("pk", flat=True)[:limit]
        )
        Comment.objects.filter(pk__in=ids, **{f"{field}__isnull": True}).update(**{field: now})
    return ids


def _release(ids, field):
    Comment.objects.filter(pk__in=ids).update(**{field: None})


@task()
def send_moderator_digest(attempt=0):
    """Email every moderator one message listing the comments waiting for them."""
    ids = _claim(Comment.objects.pending(), "moderators_notified_at")
    if not ids:
        return 0
    comments = list(Comment.objects.filter(pk__in=ids).select_related("article"))
    moderators = moderators_to_email()
    if not moderators:
        log.warning("%d comments wait for moderation but no moderator has an email", len(ids))
        return 0
    try:
        for moderator in moderators:
            emails.moderator_digest(moderator, comments).send()
    except (SMTPException, OSError) as error:
        _release(ids, "moderators_notified_at")
        retry_later(send_moderator_digest, attempt)
        raise EmailNotSent.because(f"moderator digest of {len(ids)} comments", error) from None
    return len(ids)


@task()
def send_approval_notices(comment_id, attempt=0):
    """After approval only: tell the commenter it is published, and a parent's author about the
    reply, when they asked to be told. Never before approval, so notifications cannot carry spam."""
    approved = Comment.objects.filter(pk=comment_id, status=Status.APPROVED)
    if not _claim(approved, "approval_notified_at"):
        return 0
    comment = approved.select_related("article", "parent").first()
    messages = []
    if comment.notify and comment.email:
        messages.append(emails.published_notice(comment))
    parent = comment.parent
    if (
        parent
        and parent.notify
        and parent.email
        and parent.status == Status.APPROVED
        and parent.email.lower() != comment.email.lower()
    ):
        messages.append(emails.reply_notice(comment, parent))
    try:
        for message in messages:
            message.send()
    except (SMTPException, OSError) as error:
        _release([comment_id], "approval_notified_at")
        retry_later(send_approval_notices, attempt, comment_id)
        raise EmailNotSent.because(f"notices for comment {comment_id}", error) from None
    return len(messages)


@task()
def send_trust_confirmation(comment_id):
    """Send a returning commenter the link that publishes their comment (trusted commenters)."""
    comment = Comment.objects.filter(pk=comment_id, status=Status.PENDING).first()
    if comment and comment.email:
        try:
            emails.trust_confirmation(comment).send()
        except (SMTPException, OSError) as error:
            raise EmailNotSent.because(
                f"trust confirmation for comment {comment_id}", error
            ) from None
