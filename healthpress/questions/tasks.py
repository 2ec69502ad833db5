"""Background work for readers' questions (django-tasks).

The request stores the question first and enqueues its email after the commit; a failed send is
retried later (when the backend can defer), and the question is never lost with it.
"""

from datetime import timedelta
from smtplib import SMTPException

from django.core.cache import cache
from django.utils import timezone
from django_tasks import default_task_backend, task

RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds; then the failure stays in the task log
# A task that runs twice sends the confirmation once: the claim lives as long as the link.
CONFIRMATION_CLAIM_SECONDS = 7 * 24 * 3600


def _retry(task_obj, attempt, *args):
    if default_task_backend.supports_defer and attempt < len(RETRY_DELAYS):
        later = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
        task_obj.using(run_after=later).enqueue(*args, attempt=attempt + 1)


@task()
def send_email_confirmation(question_id, attempt=0):
    """Send the asker the link that confirms their address: the only email an unconfirmed
    address ever gets. Nothing is sent once it is confirmed or erased."""
    from .confirmation import confirmation_email
    from .models import Question

    question = (
        Question.objects.filter(pk=question_id, email_confirmed_at__isnull=True)
        .exclude(email="")
        .first()
    )
    claim = f"questions:confirmation-sent:{question_id}"
    if question is None or not cache.add(claim, 1, timeout=CONFIRMATION_CLAIM_SECONDS):
        return 0
    try:
        confirmation_email(question).send()
    except (SMTPException, OSError):
        cache.delete(claim)
        _retry(send_email_confirmation, attempt, question_id)
        raise
    return 1
