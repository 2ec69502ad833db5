"""Background work (django-tasks): confirmation emails and newsletter runs, never in a request."""

from django_tasks import task

from .emails import confirmation_email, manage_subscription_email
from .mailer import Mailer, Outcome
from .models import Subscriber
from .pipeline import send_newsletter


@task()
def send_subscription_email(subscriber_id):
    """The double opt-in email for a pending address; for a confirmed one, its preferences link.

    Raises when the server stays unavailable, so the task is recorded as failed and visible."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    if subscriber.status == Subscriber.Status.PENDING:
        message = confirmation_email(subscriber)
    elif subscriber.status == Subscriber.Status.CONFIRMED:
        message = manage_subscription_email(subscriber)
    else:
        return "not mailed"
    mailer = Mailer()
    try:
        outcome = mailer.send(message)
    finally:
        mailer.close()
    if outcome is Outcome.TEMPORARY:
        # Free this hour's slot, so the reader can ask again as soon as the server is back.
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)
        raise RuntimeError(f"confirmation email not sent: {mailer.last_error}")
    return outcome.value


@task()
def send_newsletter_task():
    """`send_newsletter` as a task: queued when an article is published."""
    return send_newsletter().line()
