"""Every signal the comments app listens to, connected in one place (AppConfig.ready() calls
`connect()`), so what reacts to what is read here and nowhere else."""

from django.db.models.signals import post_delete, post_save

from . import blocklist, history, tasks
from .models import BlockedTerm, Comment
from .signals import comment_approved


def queue_approval_notices(sender, comment_id, **kwargs):
    """After an approval commits: tell the commenter, and a parent's author (tasks.py)."""
    tasks.send_approval_notices.enqueue(comment_id)


def connect():
    post_save.connect(blocklist.forget, sender=BlockedTerm, dispatch_uid="blocklist-saved")
    post_delete.connect(blocklist.forget, sender=BlockedTerm, dispatch_uid="blocklist-deleted")
    post_delete.connect(history.forget, sender=Comment, dispatch_uid="comment-history-deleted")
    comment_approved.connect(
        queue_approval_notices, sender=Comment, dispatch_uid="approval-notices"
    )
