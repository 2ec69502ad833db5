"""When a failed email task runs again: one schedule for every app's tasks.

A task that sends mail takes an `attempt` keyword (0 on the first run). On a failed send it
releases what it claimed and calls `retry_later`, which queues it again after the next delay
where the task backend can defer (the database backend can; the immediate one in tests cannot).
Once the delays are used up, the failure stays in the task log for a person to look at.

That log (the database task backend's DBTaskResult) keeps each failure's message and traceback,
and a mail server's refusal often quotes the recipient ("550 <ana@example.org>: no such user"),
which would outlive the reader's erasure. So a failed send is raised as `EmailNotSent`, which
names what was being sent (by id) and the SMTP code, never the address.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend

RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds


def retry_later(task, attempt, *args):
    """Queue `task(*args, attempt=attempt + 1)` after this attempt's delay. False when there is
    no retry: the backend cannot defer, or every delay has been used."""
    if not default_task_backend.supports_defer or attempt >= len(RETRY_DELAYS):
        return False
    later = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
    task.using(run_after=later).enqueue(*args, attempt=attempt + 1)
    return True


class EmailNotSent(Exception):
    """A send that failed, described without the recipient (see the module's docstring)."""

    @classmethod
    def because(cls, what, error):
        code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
        return cls(f"{what}: {type(error).__name__}" + (f" {code}" if code else ""))
