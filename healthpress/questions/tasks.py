"""Background work for readers' questions (django-tasks): the confirmation email, telling askers
a triage decision, giving the expert the draft, and the answered notices.

The request stores the question (or the decision, or the publish) first and enqueues its email
after the commit; a failed send is retried later (core/retries.py), and nothing is lost with it.
An asker is told each thing at most once: the task claims the question (a timestamp set only
where it is still empty) before sending, so a task that runs twice mails nobody twice, and a
failed send releases the claim.

Tasks take ids, never a reader's words or address, and a failure is raised as EmailNotSent,
whose message names the question and the SMTP code only: the database task backend stores each
task's arguments and the traceback of its failure (DBTaskResult), and a mail server's refusal
often quotes the address ("550 <ana@example.org>: no such user"). Those rows would outlive an
erasure; ids do not say anything once the question is erased.

Until issue 25 these tasks lived in three modules; migration 0004 renames the queued ones.
"""

import logging
from smtplib import SMTPException

from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import task

from healthpress.articles.models import ArticlePage
from healthpress.core.retries import EmailNotSent, retry_later

from . import answers, emails
from .confirmation import claim_confirmation, release_confirmation
from .editors import can_be_expert
from .models import Question, Status
from .purge_rules import purge_answered

log = logging.getLogger(__name__)


@task()
def send_email_confirmation(question_id, attempt=0):
    """Send the asker the link that confirms their address: the only email an unconfirmed
    address ever gets, once per question and within the per-address cap
    (confirmation.claim_confirmation). Nothing is sent once it is confirmed or erased."""
    question = claim_confirmation(question_id)
    if question is None:
        return 0
    try:
        emails.confirmation_email(question).send()
    except (SMTPException, OSError) as error:
        release_confirmation(question_id)
        retry_later(send_email_confirmation, attempt, question_id)
        raise EmailNotSent.because(f"confirmation for question {question_id}", error) from None
    return 1


# Triage ------------------------------------------------------------------------------------------


def _claim_told(question_id):
    """True if this run may tell the asker: the question has a confirmed email and nobody told
    them yet; from here on nobody else will."""
    return bool(
        Question.objects.with_confirmed_email()
        .filter(pk=question_id, notified_at__isnull=True)
        .update(notified_at=timezone.now())
    )


def _release_told(question_id):
    Question.objects.filter(pk=question_id).update(notified_at=None)


def _notice(question):
    """The message a decision sends to this question's asker, or None (nothing to tell)."""
    outcome = question.outcome
    if outcome.status == Status.DECLINED and outcome.decline_reason:
        return emails.declined_notice(question, outcome.decline_reason)
    if outcome.status == Status.DUPLICATE and outcome.article:
        return emails.duplicate_notice(question, outcome.article)
    return None


@task()
def tell_askers(question_ids, attempt=0):
    """Tell each asker (confirmed email, not told yet) the decline reason or the article that
    already answers their question. Returns how many were told."""
    told, failed = 0, []
    questions = Question.objects.filter(pk__in=question_ids).select_related(
        "merged_into__decline_reason", "merged_into__article", "decline_reason", "article"
    )
    for question in questions:
        message = _notice(question)
        if message is None or not _claim_told(question.pk):
            continue
        try:
            message.send()
            told += 1
        except (SMTPException, OSError):
            log.warning("Could not tell the asker of question %s; will retry", question.pk)
            _release_told(question.pk)
            failed.append(question.pk)
    if failed:
        retry_later(tell_askers, attempt, failed)
        raise RuntimeError(f"{len(failed)} asker emails failed; retry scheduled")
    return told


@task()
def email_expert(question_id, attempt=0):
    """Email the accepted question's expert a link to the draft's edit page in the admin."""
    question = (
        Question.objects.filter(pk=question_id, status=Status.ACCEPTED)
        .select_related("article__author__user")
        .first()
    )
    if question is None or question.article is None:
        return 0
    expert = question.article.author
    if expert is None or not can_be_expert(expert):
        log.warning("Question %s: its draft's author cannot be emailed", question_id)
        return 0
    try:
        emails.expert_notice(question, question.article, expert).send()
    except (SMTPException, OSError) as error:
        retry_later(email_expert, attempt, question_id)
        raise EmailNotSent.because(f"expert's email for question {question_id}", error) from None
    return 1


# Answered questions -----------------------------------------------------------------------------


@task()
def send_answered_notices(article_id, attempt=0):
    """Mark the questions waiting for the (live) article answered, then email each asker with a
    confirmed address once. Returns how many emails this run sent.

    An article unpublished before the task ran answers nothing: the next publish queues it again.
    A failed send releases that asker's claim and, where the backend can defer, retries later;
    the task then raises so the failure shows in the task log."""
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
            message = emails.answered_email(question, article)
            message.connection = connection
            try:
                message.send()
            except (SMTPException, OSError) as error:
                answers.release(question.pk)
                if not retry_later(send_answered_notices, attempt, article_id):
                    log.error("answered notices for article %s not sent; no retry left", article_id)
                what = f"answered notice for question {question.pk}"
                raise EmailNotSent.because(what, error) from None
            sent += 1
    finally:
        connection.close()
    return sent
