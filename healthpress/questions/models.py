"""Readers' questions: asked at /ask/, triaged by question editors, answered by an article.

A question is health data. It is never shown on a public page; its email is used only once
confirmed. Everything the reader gave (the words, details, topic, address, the red flags the words
matched) is erased at the reader's request or once the question's retention rule says so
(`QuestionQuerySet.due_for_erasure`, one rule per status: docs/questions.md, "Retention"); what
stays is a row with dates, a status and the article an editor wrote, tied to nobody.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# Bump when the consent wording on /ask/ changes: each question records the version it agreed to.
CONSENT_WORDING_VERSION = "2026-12-ask-v2"
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
    # Erased while still new (its asker asked, or nobody decided within QUESTIONS_UNDECIDED_DAYS):
    # nothing is left to decide on, so it leaves the queue.
    ERASED = "erased", "Erased before a decision"


CLOSED = (Status.DECLINED, Status.DUPLICATE, Status.ANSWERED)

# What erasure writes over everything that came from the reader (QuestionQuerySet.erase).
ERASED_VALUES = {
    "question": "",
    "details": "",
    "topic": None,
    "email": "",
    "email_confirmed_at": None,
    "flagged": False,
    "red_flags": "",
}


def _days_ago(now, setting):
    return now - timezone.timedelta(days=getattr(settings, setting))


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
        """Questions still holding what a reader gave whose retention is over. One rule per
        status (docs/questions.md, "Retention"):

        - new: QUESTIONS_UNDECIDED_DAYS after it was asked;
        - accepted (its article not yet published): QUESTIONS_ACCEPTED_DAYS after the decision;
        - answered, declined, duplicate: QUESTIONS_RETENTION_DAYS after it closed;
        - merged: as the question it was merged into (its asker is told that one's outcome, so
          the address lasts as long); while that one is still undecided, its own undecided rule.
        """
        now = now or timezone.now()
        undecided = _days_ago(now, "QUESTIONS_UNDECIDED_DAYS")

        def decided_and_over(prefix=""):
            return Q(
                **{
                    f"{prefix}status": Status.ACCEPTED,
                    f"{prefix}decided_at__lt": _days_ago(now, "QUESTIONS_ACCEPTED_DAYS"),
                }
            ) | Q(
                **{
                    f"{prefix}status__in": CLOSED,
                    f"{prefix}closed_at__lt": _days_ago(now, "QUESTIONS_RETENTION_DAYS"),
                }
            )

        merged = Q(status=Status.MERGED) & (
            decided_and_over("merged_into__")
            | Q(merged_into__status__in=[Status.NEW, Status.ERASED], created_at__lt=undecided)
            | Q(
                merged_into__isnull=True,
                closed_at__lt=_days_ago(now, "QUESTIONS_RETENTION_DAYS"),
            )
        )
        new = Q(status=Status.NEW, created_at__lt=undecided)
        return self.filter(erased_at__isnull=True).filter(new | decided_and_over() | merged)

    def erase(self, now=None):
        """The one way a question is erased: everything that came from the reader is written
        over (ERASED_VALUES) and `erased_at` records when; the status, the dates, the editors'
        decisions and the article an editor wrote stay. A new question has nothing left to decide
        on: it closes as ERASED, and the questions merged into it (not erased with it) go back to
        the queue, each with its own asker and its own clock. Returns how many were erased.

        On SQLite the old bytes are zeroed (secure_delete) but stay in the write-ahead log until
        a checkpoint: callers that erase on request run core.erasure.flush_erased() after."""
        now = now or timezone.now()
        with transaction.atomic():
            # Locked, so a triage decision taken at the same moment waits and sees the result.
            rows = list(self.select_for_update(of=("self",)).values_list("pk", "status"))
            ids = [pk for pk, _ in rows]
            new = [pk for pk, status in rows if status == Status.NEW]
            released = Question.objects.filter(merged_into__in=new, status=Status.MERGED)
            released.exclude(pk__in=ids).update(
                status=Status.NEW,
                merged_into=None,
                article=None,
                decided_at=None,
                decided_by=None,
                closed_at=None,
            )
            Question.objects.filter(pk__in=new).update(status=Status.ERASED, closed_at=now)
            return Question.objects.filter(pk__in=ids).update(**ERASED_VALUES, erased_at=now)


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
    # When the confirmation email was claimed for sending (confirmation.claim_confirmation):
    # once per question, and at most QUESTIONS_CONFIRMATIONS_PER_DAY to one address.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-flagged", "created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        if self.erased_at and not self.question:
            day = timezone.localdate(self.erased_at)
            return f"(erased {day.day} {day:%b %Y})"
        return self.question

    @property
    def can_be_told(self):
        return bool(self.email and self.email_confirmed_at)

    # Triage decisions (decline, duplicate, accept) are taken in triage.py, which locks and
    # records through the two methods below; a merge touches questions only and is taken here.

    def merge(self, others, by=None):
        """Merge other new questions into this one (new or accepted): they leave the queue and
        from then on follow it (its article, its decline or its answer). Questions already merged
        into one of them follow too. Returns how many were merged."""
        ids = sorted({q.pk for q in others} - {self.pk})
        if not ids:
            raise TriageError("Choose at least one other question to merge.")
        now = timezone.now()
        with transaction.atomic():
            self.lock_for_decision(Status.NEW, Status.ACCEPTED)
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

    def family(self):
        """This question and the ones merged into it: the askers one decision answers."""
        return Question.objects.filter(Q(pk=self.pk) | Q(merged_into=self))

    @property
    def outcome(self):
        """The question whose decision applies: the one it was merged into, or itself."""
        return self.merged_into if self.status == Status.MERGED and self.merged_into else self

    def lock_for_decision(self, *allowed):
        """Lock the row (inside the caller's transaction) and raise TriageError unless its
        status is one of `allowed`: a second editor deciding at the same moment changes nothing."""
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

    def record_decision(self, status, by, now, **fields):
        """Write the decision (the new status, who and when, and `fields`) to the row and here."""
        fields.update(status=status, decided_at=now, decided_by=by)
        Question.objects.filter(pk=self.pk).update(**fields)
        for key, value in fields.items():
            setattr(self, key, value)


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
