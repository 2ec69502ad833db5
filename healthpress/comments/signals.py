"""What the comments app tells the rest of itself and other apps, so the model does not import
the modules that react (notifications, tasks)."""

from django.dispatch import Signal

# Sent once a comment's approval has committed; `comment_id` names it.
comment_approved = Signal()
