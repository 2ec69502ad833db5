"""Background work (django-tasks) for answered questions: queued after an article's publish
commits (answers.on_article_published), never run inside the request that published it."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import answers
from .purge_rules import purge_answered
from .tasks import EmailNotSent

log = logging.getLogger(__name__)
RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds; then the failure stays in the task log


@task()
def send_answered_notices(article_id, attempt=0):
    """Mark the questions waiting for the (live) article answered, then email each asker with a
    confirmed address once. Returns how many emails this run sent.

    An article unpublished before the task ran answers nothing: the next publish queues it again.
    A failed send releases that asker's claim and, where the backend can defer, retries later;
    the task then raises so the failure shows in the task log."""
    from healthpress.articles.models import ArticlePage

    article = ArticlePage.objects.live().filter(pk=article_id).first()
    if article is None:
        return 0
    if answers.mark_answered(article):
        purge_answered(article)  # the count on the article and the answered listing
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        for question in answers.to_tell(article):
            if not answers.claim(question.pk):
                continue  # another run has it
            message = answers.answered_email(question, article)
            message.connection = connection
            try:
                message.send()
            except (SMTPException, OSError) as error:
                answers.release(question.pk)
                _retry(article_id, attempt)
                what = f"answered notice for question {question.pk}"
                raise EmailNotSent.because(what, error) from None
            sent += 1
    finally:
        connection.close()
    return sent


def _retry(article_id, attempt):
    if default_task_backend.supports_defer and attempt < len(RETRY_DELAYS):
        later = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
        send_answered_notices.using(run_after=later).enqueue(article_id, attempt=attempt + 1)
    else:
        log.error("answered notices for article %s not sent; no retry left", article_id)
