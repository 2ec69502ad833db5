"""How long the comments app keeps what it does not show: comments held as spam.

A comment held as spam is never shown, and a moderator who disagrees moves it back within days.
Kept for ever, it would keep its writer's name, email address, network and browser for no use;
so COMMENTS_SPAM_DAYS (30) after it became spam (a moderator's "Mark as spam", or the spam checks
when it arrived) it is deleted, as a moderator's "Delete" would: with its history and any replies
hanging from it, which readers could not see either (a reply shows only under an approved
comment). `manage.py prune_comments` applies it daily from cron (docs/deploy.md).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Comment, Status


def spam_due(now=None):
    """Comments held as spam for longer than COMMENTS_SPAM_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.COMMENTS_SPAM_DAYS)
    return (
        Comment.objects.filter(status=Status.SPAM)
        .alias(spam_since=Coalesce("status_changed_at", "created_at"))
        .filter(spam_since__lt=cutoff)
    )
