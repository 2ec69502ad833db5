"""Background work for triage (django-tasks): telling askers a decision, giving the expert the
draft.

An asker is told at most once (`Question.notified_at`, claimed before sending, set only where it
is still empty), so a task that runs twice, or a decision taken twice, mails nobody twice; a
failed send releases the claim and is retried later, as comments/tasks.py does.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.utils import timezone
from django_tasks import default_task_backend, task

from . import triage
from .tasks import EmailNotSent

log = logging.getLogger(__name__)
RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds; then the failure stays in the task log


def _retry(task_obj, attempt, *args):
    if default_task_backend.supports_defer and attempt < len(RETRY_DELAYS):
        later = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
        task_obj.using(run_after=later).enqueue(*args, attempt=attempt + 1)


def _claim(question_id):
    """True if this run may tell the asker: the question has a confirmed email and nobody told
    them yet; from here on nobody else will."""
    from .models import Question

    return bool(
        Question.objects.with_confirmed_email()
        .filter(pk=question_id, notified_at__isnull=True)
        .update(notified_at=timezone.now())
    )


def _release(question_id):
    from .models import Question

    Question.objects.filter(pk=question_id).update(notified_at=None)


def _notice(question):
    """The message a decision sends to this question's asker, or None (nothing to tell)."""
    from .models import Status

    outcome = question.outcome
    if outcome.status == Status.DECLINED and outcome.decline_reason:
        return triage.declined_notice(question, outcome.decline_reason)
    if outcome.status == Status.DUPLICATE and outcome.article:
        return triage.duplicate_notice(question, outcome.article)
    return None


@task()
def tell_askers(question_ids, attempt=0):
    """Tell each asker (confirmed email, not told yet) the decline reason or the article that
    already answers their question. Returns how many were told."""
    from .models import Question

    told, failed = 0, []
    questions = Question.objects.filter(pk__in=question_ids).select_related(
        "merged_into__decline_reason", "merged_into__article", "decline_reason", "article"
    )
    for question in questions:
        message = _notice(question)
        if message is None or not _claim(question.pk):
            continue
        try:
            message.send()
            told += 1
        except (SMTPException, OSError):
            log.warning("Could not tell the asker of question %s; will retry", question.pk)
            _release(question.pk)
            failed.append(question.pk)
    if failed:
        _retry(tell_askers, attempt, failed)
        raise RuntimeError(f"{len(failed)} asker emails failed; retry scheduled")
    return told


@task()
def email_expert(question_id, attempt=0):
    """Email the accepted question's expert a link to the draft's edit page in the admin."""
    from .models import Question, Status

    question = (
        Question.objects.filter(pk=question_id, status=Status.ACCEPTED)
        .select_related("article__author__user")
        .first()
    )
    if question is None or question.article is None:
        return 0
    expert = question.article.author
    if expert is None or not triage.can_be_expert(expert):
        log.warning("Question %s: its draft's author cannot be emailed", question_id)
        return 0
    try:
        triage.expert_notice(question, question.article, expert).send()
    except (SMTPException, OSError) as error:
        _retry(email_expert, attempt, question_id)
        raise EmailNotSent.because(f"expert's email for question {question_id}", error) from None
    return 1
