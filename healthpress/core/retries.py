"""When a failed email task runs again: one schedule for every app's tasks.

A task that sends mail takes an `attempt` keyword (0 on the first run). On a failed send it
releases what it claimed and calls `retry_later`, which queues it again after the next delay
where the task backend can defer (the database backend can; the immediate one in tests cannot).
Once the delays are used up, the failure stays in the task log for a person to look at.
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
