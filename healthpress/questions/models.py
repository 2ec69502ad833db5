"""Readers' questions: asked at /ask/, triaged by question editors, answered by an article.

A question is health data. It is never shown on a public page; its email is used only once
confirmed, and its details and email are erased QUESTIONS_RETENTION_DAYS after it is closed.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# Bump when the consent wording on /ask/ changes: each question records the version it agreed to.
CONSENT_WORDING_VERSION = "2026-12-ask-v1"
QUESTION_MAX = 200
DETAILS_MAX = 2000
EDITORS_GROUP = "Question editors"


class Status(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted: an article is being written"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Answered by an existing article"
    MERGED = "merged", "Merged into another question"
    ANSWERED = "answered", "Answered"


CLOSED = (Status.DECLINED, Status.DUPLICATE, Status.ANSWERED)


class TriageError(Exception):
    """A triage decision that cannot be made: the message says why, for the editor."""


class QuestionQuerySet(models.QuerySet):
    def new(self):
        return self.filter(status=Status.NEW)

    def open(self):
        """Waiting for a decision or for its answer to be published."""
        return self.filter(status__in=[Status.NEW, Status.ACCEPTED])

    def for_email(self, email):
        return self.filter(email__iexact=(email or "").strip()).exclude(email="")

    def with_confirmed_email(self):
        return self.exclude(email="").filter(email_confirmed_at__isnull=False)

    def due_for_erasure(self, now=None):
        """Closed questions whose retention is over and that still hold personal data."""
        now = now or timezone.now()
        cutoff = now - timezone.timedelta(days=settings.QUESTIONS_RETENTION_DAYS)
        holding = ~Q(details="") | ~Q(email="")
        # A merged question waits for its main one (merges are flattened onto it): its asker is
        # told when the main question is answered or declined, so the address must last till then.
        merged_and_done = Q(
            status=Status.MERGED,
            merged_into__status__in=CLOSED,
            merged_into__closed_at__lt=cutoff,
        )
        closed = Q(status__in=CLOSED) | merged_and_done
        return self.filter(closed, holding, closed_at__lt=cutoff)


class Question(models.Model):
    question = models.CharField(max_length=QUESTION_MAX)
    details = models.TextField(blank=True, max_length=DETAILS_MAX)
    topic = models.ForeignKey(
        "core.TopicPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True, max_length=254)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=40)
    consented_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    # Red-flag terms the question matched (an urgent care card was shown): first in the queue.
    flagged = models.BooleanField(default=False)
    red_flags = models.CharField(max_length=300, blank=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.ForeignKey(
        "questions.DeclineReason", null=True, blank=True, on_delete=models.SET_NULL
    )
    # The article that answers it: the draft made on accept, or the existing one for a duplicate.
    article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="readers_questions",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the question left the queue for good (declined, duplicate, answered, merged):
    # retention counts from here.
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The asker was told the outcome (answered, declined or duplicate): never twice.
    notified_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-flagged", "created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.question

    @property
    def can_be_told(self):
        return bool(self.email and self.email_confirmed_at)

    # Triage: each decision is one locked path that changes the status, records who decided and
    # when, applies to the questions merged into this one, and sends its emails once committed
    # (triage_tasks.py). Every decision but a merge is taken on a new question only; a second
    # editor deciding the same question at the same moment gets a TriageError, not a second
    # outcome.

    def decline(self, reason, by=None):
        """Decline with a reason from the editable list; every asker with a confirmed email
        (this one and the merged ones) is told the reason's text."""
        if reason is None:
            raise TriageError("Choose a reason.")
        now = timezone.now()
        with transaction.atomic():
            self._lock(Status.NEW)
            self._decide(Status.DECLINED, by, now, decline_reason=reason, closed_at=now)
            self.merged.update(decline_reason=reason)
        self._tell_askers()

    def mark_duplicate(self, article, by=None):
        """Answered by an existing, live article: every asker with a confirmed email gets its
        link, and the article's "Answers N readers' questions" grows (purged: the changes here
        are update()s, which send no signal to purge_rules.py)."""
        from . import purge_rules

        if article is None or not article.live:
            raise TriageError("Choose a published article.")
        now = timezone.now()
        with transaction.atomic():
            self._lock(Status.NEW)
            self._decide(Status.DUPLICATE, by, now, article=article, closed_at=now)
            self.merged.update(article=article)
        transaction.on_commit(lambda: purge_rules.purge_answered(article))
        self._tell_askers()

    def merge(self, others, by=None):
        """Merge other new questions into this one (new or accepted): they leave the queue and
        from then on follow it (its article, its decline or its answer). Questions already merged
        into one of them follow too. Returns how many were merged."""
        ids = sorted({q.pk for q in others} - {self.pk})
        if not ids:
            raise TriageError("Choose at least one other question to merge.")
        now = timezone.now()
        with transaction.atomic():
            self._lock(Status.NEW, Status.ACCEPTED)
            locked = list(
                Question.objects.select_for_update().filter(pk__in=ids, status=Status.NEW)
            )
            if len(locked) != len(ids):
                raise TriageError("Only new questions can be merged; nothing changed.")
            Question.objects.filter(pk__in=ids).update(
                status=Status.MERGED,
                merged_into=self,
                article_id=self.article_id,
                decided_at=now,
                decided_by=by,
                closed_at=now,
            )
            Question.objects.filter(merged_into_id__in=ids).update(
                merged_into=self, article_id=self.article_id
            )
        return len(ids)

    def accept(self, topic, expert, by=None):
        """The one way a question becomes work: a draft article under `topic` with the question
        as its title and `expert` as its author, linked to this question and the merged ones;
        the expert is emailed a link to the draft in the admin. Returns the draft, which then
        goes through the Medical review workflow like every article."""
        from . import triage

        if topic is None:
            raise TriageError("Choose a topic for the article.")
        if not triage.can_be_expert(expert):
            raise TriageError("Choose an expert with an active admin account and an email.")
        now = timezone.now()
        with transaction.atomic():
            self._lock(Status.NEW)
            article = triage.draft_article(self, topic, expert, by)
            self._decide(Status.ACCEPTED, by, now, article=article)
            self.merged.update(article=article)
        from . import triage_tasks

        transaction.on_commit(lambda: triage_tasks.email_expert.enqueue(self.pk))
        return article

    def family(self):
        """This question and the ones merged into it: the askers one decision answers."""
        return Question.objects.filter(Q(pk=self.pk) | Q(merged_into=self))

    @property
    def outcome(self):
        """The question whose decision applies: the one it was merged into, or itself."""
        return self.merged_into if self.status == Status.MERGED and self.merged_into else self

    def _lock(self, *allowed):
        row = (
            Question.objects.select_for_update()
            .filter(pk=self.pk)
            .values_list("status", "article_id")
            .first()
        )
        if row is None:
            raise TriageError("This question no longer exists.")
        current, self.article_id = row
        if current not in allowed:
            self.status = current
            raise TriageError(
                f"This question is already “{self.get_status_display()}”; nothing changed."
            )

    def _decide(self, status, by, now, **fields):
        fields.update(status=status, decided_at=now, decided_by=by)
        Question.objects.filter(pk=self.pk).update(**fields)
        for key, value in fields.items():
            setattr(self, key, value)

    def _tell_askers(self):
        from . import triage_tasks

        ids = list(self.family().with_confirmed_email().values_list("pk", flat=True))
        if ids:
            transaction.on_commit(lambda: triage_tasks.tell_askers.enqueue(ids))


class RedFlagTerm(models.Model):
    """Words that may mean an emergency: a question with one shows the urgent care card."""

    term = models.CharField(
        max_length=80,
        unique=True,
        help_text="Matched as whole words, case-insensitively, e.g. “chest pain”.",
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["term"]
        verbose_name = "red-flag term"

    def __str__(self):
        return self.term


class DeclineReason(models.Model):
    """What an editor picks when declining; the asker (if confirmed) reads `text`."""

    label = models.CharField(max_length=80, unique=True)
    text = models.TextField(help_text="Sent to the asker, if they confirmed their email.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class AlreadyAnsweredCount(models.Model):
    """How often a reader found their answer among the suggestions instead of asking: a count
    per day and nothing else."""

    day = models.DateField(unique=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.count}"

    @classmethod
    def add_one(cls, today=None):
        day = today or timezone.localdate()
        counter, _ = cls.objects.get_or_create(day=day)
        cls.objects.filter(pk=counter.pk).update(count=models.F("count") + 1)
