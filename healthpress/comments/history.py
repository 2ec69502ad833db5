"""A comment's moderation history, kept in Wagtail's log (`wagtail.log_actions`), so every
decision shows in Reports → Site history beside page edits, and on the comment's admin page.

Each status change is one log entry whose action names the new status (`comments.approve`, ...)
and whose data keeps the old status and the path it came by: "admin" (a comment's page), "admin
bulk", "confirmed by commenter"; entries copied from the app's old CommentLog table may say
"email link" (migration 0006). The actions are registered in wagtail_hooks.py.

This module imports nothing from the app (models.py calls it), so it names statuses by value.
"""

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

# new status → (action, label in the report's filter, past tense for the message)
ACTIONS = {
    "approved": ("comments.approve", "Approve comment", "Approved"),
    "rejected": ("comments.reject", "Reject comment", "Rejected"),
    "spam": ("comments.spam", "Mark comment as spam", "Marked as spam"),
    "pending": ("comments.pending", "Return comment to moderation", "Returned to moderation"),
}


class StatusChangeFormatter(LogFormatter):
    """ "Approved (was pending), via admin bulk": the message in the report and the history."""

    done = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return f"{self.done} (was {data.get('old_status', '?')}), via {data.get('via', '?')}"


def formatters():
    """(action, formatter class) for each status, for the register_log_actions hook."""
    return [
        (action, type("Formatter", (StatusChangeFormatter,), {"label": label, "done": done}))
        for action, label, done in ACTIONS.values()
    ]


def title(comment):
    # The report lists this to everyone with a comment permission: no address, no text.
    return f"Comment {comment.pk} by {comment.name}"


def record(comment, old_status, new_status, user, via, at):
    """Log one status change (inside the transaction that made it)."""
    action = ACTIONS[new_status][0]
    data = {"old_status": old_status, "new_status": new_status, "via": via}
    log(comment, action, user=user, title=title(comment), data=data, timestamp=at)


def entries_for(comment):
    """The comment's changes, oldest first, as the admin page lists them."""
    logged = (
        ModelLogEntry.objects.for_instance(comment)
        .filter(action__in=[action for action, _label, _done in ACTIONS.values()])
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    return [
        SimpleNamespace(
            at=entry.timestamp,
            old_status=entry.data.get("old_status", ""),
            new_status=entry.data.get("new_status", ""),
            user=entry.user,
            via=entry.data.get("via", ""),
        )
        for entry in logged
    ]


def forget(sender, instance, **kwargs):
    """A deleted comment (removed, pruned as spam, erased on request) takes its history with it,
    as the old table's cascade did: the entries name the commenter."""
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=str(instance.pk)
    ).delete()
