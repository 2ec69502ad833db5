"""What tells an editor how each article is doing: readers' votes, what they missed, its
reading level, its references' links, and the review reminders sent about it.

Nothing here identifies a reader: votes are counted per article per day, a reader's network is
kept only as a keyed hash for the day's one-vote rule, and free text goes after FEEDBACK_DAYS.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

MISSING_MAX = 500


class FeedbackDay(models.Model):
    """The day's Yes and No counts for one article."""

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="feedback_days"
    )
    day = models.DateField()
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="one_feedback_row_per_day")
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.yes} yes, {self.no} no"


class VoteSeen(models.Model):
    """One reader network's vote on one article on one day: the rule "one vote per network per
    day" needs it, and it goes with the day (prune_feedback). `network` is an HMAC of the network
    with SECRET_KEY and the day, so it cannot be turned back into an address or joined across
    days."""

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    network = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day", "network"], name="one_vote_a_day")
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}"


class MissingNote(models.Model):
    """A reader's answer to "What was missing?" after a No: never shown publicly, never emailed,
    kept FEEDBACK_DAYS days."""

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="missing_notes"
    )
    text = models.TextField(max_length=MISSING_MAX)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


class Readability(models.Model):
    """The article's reading level, computed from its text when it is saved."""

    article = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="readability"
    )
    grade = models.FloatField(help_text="Flesch–Kincaid grade level")
    long_sentence_share = models.FloatField(help_text="Share of sentences over 25 words, 0–1")
    words = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The hardest articles first (the dashboard's Article health panel) without sorting
        # every article's grade.
        indexes = [models.Index(fields=["-grade", "article"], name="health_hardest_idx")]

    def __str__(self):
        return f"grade {self.grade:.1f}"

    @property
    def above_target(self):
        return self.grade > settings.READING_GRADE_TARGET


class ReferenceCheck(models.Model):
    """The last check of one reference URL of one article."""

    class Outcome(models.TextChoices):
        OK = "ok", "Works"
        MOVED = "moved", "Moved permanently"
        BROKEN = "broken", "Broken"

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="reference_checks"
    )
    url = models.URLField(max_length=2000)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    error = models.CharField(max_length=200, blank=True, help_text="DNS, TLS, timeout, loop, …")
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "url"], name="one_check_per_reference")
        ]

    def __str__(self):
        return f"{self.url}: {self.outcome}"


class ReviewReminder(models.Model):
    """A review reminder sent: never twice for the same article and due date, and at most one
    digest a week to each person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "article", "due"], name="one_reminder_per_due_date"
            )
        ]

    def __str__(self):
        return f"{self.article_id} due {self.due}"
