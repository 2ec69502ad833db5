"""Background work for readers' questions (django-tasks).

The request stores the question first and enqueues its email after the commit; a failed send is
retried later (when the backend can defer), and the question is never lost with it.

Tasks take ids, never a reader's words or address, and a failure is raised as EmailNotSent,
whose message names the question and the SMTP code only: the database task backend stores each
task's arguments and the traceback of its failure (DBTaskResult), and a mail server's refusal
often quotes the address ("550 <ana@example.org>: no such user"). Those rows would outlive an
erasure; ids do not say anything once the question is erased.
"""

from datetime import timedelta
from smtplib import SMTPException

from django.utils import timezone
from django_tasks import default_task_backend, task

RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds; then the failure stays in the task log


class EmailNotSent(Exception):
    """A send that failed, described without the recipient (see the module's docstring)."""

    @classmethod
    def because(cls, what, error):
        code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
        return cls(f"{what}: {type(error).__name__}" + (f" {code}" if code else ""))


def _retry(task_obj, attempt, *args):
    if default_task_backend.supports_defer and attempt < len(RETRY_DELAYS):
        later = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
        task_obj.using(run_after=later).enqueue(*args, attempt=attempt + 1)


@task()
def send_email_confirmation(question_id, attempt=0):
    """Send the asker the link that confirms their address: the only email an unconfirmed
    address ever gets, once per question and within the per-address cap
    (confirmation.claim_confirmation). Nothing is sent once it is confirmed or erased."""
    from .confirmation import claim_confirmation, confirmation_email, release_confirmation

    question = claim_confirmation(question_id)
    if question is None:
        return 0
    try:
        confirmation_email(question).send()
    except (SMTPException, OSError) as error:
        release_confirmation(question_id)
        _retry(send_email_confirmation, attempt, question_id)
        raise EmailNotSent.because(f"confirmation for question {question_id}", error) from None
    return 1
