"""Telling readers their question is answered, and counting the readers an article answers.

When an article that questions wait for (status ACCEPTED, and the questions merged into them) is
published, by whatever path (workflow approval, an administrator's publish, `publish_scheduled`,
the importer: they all end in Wagtail's `Revision.publish`, which sends `page_published`), those
questions become ANSWERED and each asker with a confirmed email gets one email with the article's
link. The work runs after the publishing transaction commits, in a task (tasks.py), queued by
`receivers.queue_answered_notices`; the email is `emails.answered_email`.

Never twice: a question leaves ACCEPTED/MERGED by a conditional update that only one run wins,
and each email is claimed by setting `notified_at` where it is still empty before it is sent. A
send that fails releases its claim, so a retry (or the next run for the article) sends it then.

The article's note ("Answers 3 readers' questions") counts the questions it answered, written for
them (ANSWERED) or found by an editor to answer them already (DUPLICATE, and the questions merged
into a duplicate): each is a reader whose question this page answers. The counts of the whole
site are one query kept until the next purge of the page cache (pagecache/memo.py); every change
of a count purges the article's page (purge_rules.py), so a warm article render costs no query
for it, with or without questions.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from healthpress.pagecache.memo import purge_bound

from .models import Question, Status

COUNTED = (Status.ANSWERED, Status.DUPLICATE)
WAITING = (Status.ACCEPTED, Status.MERGED)
MAX_MERGE_DEPTH = 10  # a merge of a merge of …: far more than triage ever makes


def waiting_for(article_id):
    """The ids of the questions the article answers when it is published: the accepted ones
    linked to it and those merged into them (at any depth)."""
    ids = set(
        Question.objects.filter(article_id=article_id, status=Status.ACCEPTED).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return set()
    # Questions merged into these: linked to the article by accept() or only through the merge.
    ids |= set(
        Question.objects.filter(article_id=article_id, status=Status.MERGED).values_list(
            "pk", flat=True
        )
    )
    frontier = set(ids)
    for _ in range(MAX_MERGE_DEPTH):
        frontier = set(
            Question.objects.filter(merged_into__in=frontier, status=Status.MERGED)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        if not frontier:
            break
        ids |= frontier
    return ids


def mark_answered(article, now=None):
    """Make the questions waiting for `article` ANSWERED; returns how many this call changed.

    One conditional update per question: two runs for the same article (two workers, a publish
    repeated at once) each change only what the other has not."""
    now = now or timezone.now()
    changed = 0
    for pk in sorted(waiting_for(article.pk)):
        changed += Question.objects.filter(pk=pk, status__in=WAITING).update(
            status=Status.ANSWERED,
            article=article,
            answered_at=now,
            closed_at=now,
        )
    return changed


def to_tell(article):
    """Answered questions of the article whose asker confirmed an email and was not told yet."""
    return (
        Question.objects.with_confirmed_email()
        .filter(article=article, status=Status.ANSWERED, notified_at__isnull=True)
        .order_by("pk")
    )


def claim(question_id, now=None):
    """True for the one run that may email this asker: it set `notified_at` where it was empty."""
    now = now or timezone.now()
    return bool(
        Question.objects.filter(
            pk=question_id, status=Status.ANSWERED, notified_at__isnull=True
        ).update(notified_at=now)
    )


def release(question_id):
    """The email was not sent: let a later run send it."""
    Question.objects.filter(pk=question_id).update(notified_at=None)


def answered_at_subquery():
    """The latest time one of an article's questions was answered (for the answered listing)."""
    return Subquery(
        Question.objects.filter(article=OuterRef("pk"), status=Status.ANSWERED)
        .order_by("-answered_at")
        .values("answered_at")[:1]
    )


def counted():
    """The questions an article's note counts: answered by it or found to be answered by it
    already, and the questions merged into those (each is a reader's question too). Merged
    questions of an answered one are answered with it (`mark_answered`); those of a duplicate
    stay MERGED, linked to the article."""
    return Question.objects.filter(
        Q(status__in=COUNTED) | Q(status=Status.MERGED, merged_into__status=Status.DUPLICATE),
        article__isnull=False,
    )


def _counts_by_article():
    rows = counted().order_by().values("article_id").annotate(n=Count("pk"))
    return {row["article_id"]: row["n"] for row in rows}


def readers_questions_count(article_id):
    """How many readers' questions the article answers (`counted()`)."""
    return purge_bound("questions:answered-counts", _counts_by_article).get(article_id, 0)
