"""Triage decisions: decline, mark as a duplicate, accept (a merge changes questions only and is
`Question.merge`). Each is one locked path that changes the status, records who decided and
when (`Question.lock_for_decision`, `record_decision`), applies to the questions merged into
this one, and queues its emails once committed (tasks.py; the messages are in emails.py). Every
decision is taken on a new question only; a second editor deciding the same question at the same
moment gets a TriageError, not a second outcome.

Also here: the draft article an accepted question becomes (who may be its expert: editors.py).
"""

from django.db import transaction
from django.utils import timezone

from healthpress.articles.content import ArticleContent, find_article, save_article
from healthpress.articles.models import ArticlePage

from . import tasks
from .editors import can_be_expert
from .models import Status, TriageError
from .purge_rules import purge_answered

# ArticlePage.short_answer is required; the expert replaces this before submitting for review.
DRAFT_SHORT_ANSWER = (
    "[Draft] Replace this with the answer in two or three sentences before submitting the "
    "article for medical review."
)


def live_articles():
    """The articles a question can be a duplicate of: published ones."""
    return ArticlePage.objects.live().order_by("title")


def draft_article(question, topic, expert, by=None):
    """A new draft ArticlePage under `topic`, titled with the question, written by `expert`,
    through the service every article is saved by (articles/content.py). The expert's account
    owns the draft, as if they had created it in the admin."""
    existing = find_article(question.question)
    if existing is not None:
        raise TriageError(
            f"An article already asks this question (“{existing.title}”): mark the question as "
            "a duplicate of it instead."
        )
    content = ArticleContent(question=question.question, short_answer=DRAFT_SHORT_ANSWER)
    page, _ = save_article(content, topic=topic, author=expert, publish=False, user=by)
    ArticlePage.objects.filter(pk=page.pk).update(owner=expert.user)
    page.owner = expert.user
    return page


def decline(question, reason, by=None):
    """Decline with a reason from the editable list; every asker with a confirmed email (this
    one and the merged ones) is told the reason's text."""
    if reason is None:
        raise TriageError("Choose a reason.")
    now = timezone.now()
    with transaction.atomic():
        question.lock_for_decision(Status.NEW)
        question.record_decision(Status.DECLINED, by, now, decline_reason=reason, closed_at=now)
        question.merged.update(decline_reason=reason)
    _tell_askers(question)


def mark_duplicate(question, article, by=None):
    """Answered by an existing, live article: every asker with a confirmed email gets its link,
    and the article's "Answers N readers' questions" grows (purged: the changes here are
    update()s, which send no signal to purge_rules.py)."""
    if article is None or not article.live:
        raise TriageError("Choose a published article.")
    now = timezone.now()
    with transaction.atomic():
        question.lock_for_decision(Status.NEW)
        question.record_decision(Status.DUPLICATE, by, now, article=article, closed_at=now)
        question.merged.update(article=article)
    transaction.on_commit(lambda: purge_answered(article))
    _tell_askers(question)


def accept(question, topic, expert, by=None):
    """The one way a question becomes work: a draft article under `topic` with the question as
    its title and `expert` as its author, linked to this question and the merged ones; the
    expert is emailed a link to the draft in the admin. Returns the draft, which then goes
    through the Medical review workflow like every article."""
    if topic is None:
        raise TriageError("Choose a topic for the article.")
    if not can_be_expert(expert):
        raise TriageError("Choose an expert with an active admin account and an email.")
    now = timezone.now()
    with transaction.atomic():
        question.lock_for_decision(Status.NEW)
        article = draft_article(question, topic, expert, by)
        question.record_decision(Status.ACCEPTED, by, now, article=article)
        question.merged.update(article=article)
    transaction.on_commit(lambda: tasks.email_expert.enqueue(question.pk))
    return article


def _tell_askers(question):
    ids = list(question.family().with_confirmed_email().values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: tasks.tell_askers.enqueue(ids))
