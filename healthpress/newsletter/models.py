"""Subscribers, editions and deliveries: who agreed to what, and what each of them was sent."""

import secrets
from datetime import timedelta

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

# Bump when the sign-up box's wording changes: the consent record keeps the version people saw.
CONSENT_WORDING_VERSION = "2026-11-signup-v1"


def new_token_key():
    return secrets.token_urlsafe(9)


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Confirmed, not paused, not suppressed: the people an edition may go to."""
        return self.filter(status=Subscriber.Status.CONFIRMED, paused=False)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        SUPPRESSED = "suppressed", "Suppressed (bounced)"

    class Frequency(models.TextChoices):
        INSTANT = "instant", "Each new article"
        WEEKLY = "weekly", "Weekly digest"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY)
    paused = models.BooleanField(default=False)
    all_topics = models.BooleanField(default=True, help_text="Every topic, including new ones.")
    topics = models.ManyToManyField("core.TopicPage", blank=True, related_name="+")

    created_at = models.DateTimeField(default=timezone.now)
    # The consent record: when, from which network, what wording, from where (form or import).
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.CharField(max_length=64, blank=True)
    consent_wording = models.CharField(max_length=64, blank=True)
    consent_source = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    # Articles first published after this moment are "new" for this subscriber.
    articles_since = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    hard_bounces = models.PositiveIntegerField(default=0)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    # What a confirm or preference link carries (signed; never the address or the id): rotating
    # it revokes all of them sent so far, which unsubscribing does.
    token_key = models.CharField(max_length=32, unique=True, default=new_token_key)
    # What a one-click unsubscribe link carries: never rotated, so an unsubscribe link in any
    # email ever sent keeps working (RFC 8058); it can do nothing but unsubscribe.
    unsubscribe_key = models.CharField(max_length=32, unique=True, default=new_token_key)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "frequency"])]

    def __str__(self):
        return self.email

    @property
    def masked_email(self):
        """The address as pages reached by a link show it: enough for its owner to recognise,
        not the whole of it for whoever else opens a forwarded link ("r…@example.org")."""
        local, _, domain = self.email.partition("@")
        return f"{local[:1]}…@{domain}"

    def confirm(self, now=None):
        now = now or timezone.now()
        if self.status == self.Status.CONFIRMED:
            return False
        self.status = self.Status.CONFIRMED
        self.confirmed_at = now
        self.unsubscribed_at = None
        # Only articles published from now on: confirming must not flood anyone with the archive.
        self.articles_since = now
        self.last_sent_at = None
        self.save()
        return True

    def unsubscribe(self, now=None):
        """Leave, and revoke every link mailed so far (a forwarded email must not bring the
        address back)."""
        if self.status == self.Status.UNSUBSCRIBED:
            return False
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = now or timezone.now()
        self.token_key = new_token_key()
        self.save(update_fields=["status", "unsubscribed_at", "token_key"])
        return True

    def topic_ids(self):
        return [] if self.all_topics else [t.pk for t in self.topics.all()]


class Edition(models.Model):
    """One run of the sender: a frozen list of deliveries, each sent at most once."""

    created_at = models.DateTimeField(default=timezone.now)
    # Articles published up to this moment belong to this edition; later ones wait for the next.
    cutoff = models.DateTimeField()
    built = models.BooleanField(default=False)
    # Every article some delivery of this edition carries (a handful), to load them once.
    article_ids = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)
    # 1 while the edition is open, NULL once finished: the unique constraint allows one open
    # edition at a time, so two senders started together cannot build two editions.
    open_slot = models.PositiveSmallIntegerField(null=True, blank=True, default=1)
    # "host:pid" of the sender working on it, and when it last proved it was alive.
    runner = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["open_slot"], name="newsletter_one_open_edition")
        ]

    def __str__(self):
        return f"Edition {self.pk} of {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.finished_at is None


def with_counts(editions):
    """Editions annotated with how many deliveries are sent, failed, skipped and still pending."""
    status = Delivery.Status
    return editions.annotate(
        sent_count=Count("deliveries", filter=Q(deliveries__status=status.SENT)),
        failed_count=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
        skipped_count=Count("deliveries", filter=Q(deliveries__status=status.SKIPPED)),
        pending_count=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[status.PENDING, status.CLAIMED, status.SENDING]),
        ),
    )


class Delivery(models.Model):
    """One subscriber's message in one edition. Claimed before sending, marked after the server
    accepts it; the (edition, subscriber) constraint makes a second row impossible."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed by a sender"
        SENDING = "sending", "Handed to the SMTP server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed permanently"
        SKIPPED = "skipped", "Skipped"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # Frozen when the edition is built, so a resumed run sends exactly what was planned.
    article_ids = models.JSONField(default=list)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="newsletter_one_delivery_per_edition"
            )
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return f"{self.subscriber_id} in edition {self.edition_id}: {self.status}"


def weekly_due_before(now):
    # A little slack so an hourly cron does not slip a digest by one hour each week.
    return now - timedelta(days=7) + timedelta(hours=1)
