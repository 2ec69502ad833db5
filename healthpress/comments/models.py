"""Reader comments: stored pending first, shown only once a moderator (or a confirmed trusted
commenter's own link) approves them. Every status change goes through one method and is logged
in Wagtail's log (history.py), so it shows in Reports → Site history."""

import hashlib

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from healthpress.pagecache.purge import purge_page

from . import history
from .signals import comment_approved


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


def text_fingerprint(text):
    """Same words, same fingerprint: case and spacing do not make a repost look new."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What readers may see: approved comments whose thread (parent) is approved too."""
        return self.filter(status=Status.APPROVED).filter(
            Q(parent__isnull=True) | Q(parent__status=Status.APPROVED)
        )

    def pending(self):
        return self.filter(status=Status.PENDING)

    def for_email(self, address):
        return self.filter(email__iexact=address.strip())


class Comment(models.Model):
    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="comments"
    )
    # One level deep: a reply always hangs from a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(blank=True, help_text="Never shown. Used only for notifications.")
    body = models.TextField(help_text="Plain text, cleaned on arrival.")
    notify = models.BooleanField(
        default=False, help_text="The reader asked to hear when it is published or replied to."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why the spam checks flagged it, if they did."
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    # Spam decisions only: the network, never the full address.
    ip_network = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claimed (set) by whichever task emails about it, so nobody is mailed twice.
    moderators_notified_at = models.DateTimeField(null=True, blank=True)
    approval_notified_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "parent", "created_at"]),
            models.Index(fields=["status", "moderators_notified_at"]),
            # The duplicate-text check on every POST (spam.assess) looks up exactly this. With
            # fingerprint indexed alone, SQLite chose the article index instead and read every
            # comment on the article, so each POST got slower as the article collected comments.
            models.Index(fields=["article", "fingerprint", "created_at"]),
        ]
        # Asked by comments/moderators.py; the "Comment moderators" group carries both.
        # Moderating, and seeing who wrote (email, network, browser), are separate permissions,
        # so an administrator can give a group the first without the second.
        permissions = [
            ("view_commenter_details", "Can see commenters' email addresses and networks"),
            ("moderate_comment", "Can moderate comments"),
        ]

    def __str__(self):
        return f"{self.name} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.fingerprint = text_fingerprint(self.body)
        super().save(*args, **kwargs)

    @property
    def is_visible(self):
        return self.status == Status.APPROVED

    def approve(self, by=None, via="admin"):
        """The one way a comment becomes public: logs, purges the page, and once committed
        sends `comment_approved` (the notifications listen: comments/tasks.py)."""
        if not self._change_status(Status.APPROVED, by, via):
            return False
        transaction.on_commit(lambda: purge_page(self.article))
        transaction.on_commit(lambda: comment_approved.send(sender=Comment, comment_id=self.pk))
        return True

    def reject(self, by=None, via="admin"):
        return self._withdraw(Status.REJECTED, by, via)

    def mark_spam(self, by=None, via="admin"):
        return self._withdraw(Status.SPAM, by, via)

    def remove(self, by=None, via="admin"):
        """Delete for good; the page is purged if readers could see it."""
        was_visible = self.status == Status.APPROVED
        article = self.article
        with transaction.atomic():
            self.delete()
        if was_visible:
            transaction.on_commit(lambda: purge_page(article))

    def _withdraw(self, status, by, via):
        was_visible = self.status == Status.APPROVED
        if not self._change_status(status, by, via):
            return False
        if was_visible:
            transaction.on_commit(lambda: purge_page(self.article))
        return True

    def _change_status(self, status, by, via):
        now = timezone.now()
        with transaction.atomic():
            # Re-read under lock so two moderators acting at once log one change, not two.
            current = (
                Comment.objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("status", flat=True)
            ).first()
            if current is None or current == status:
                self.status = current or self.status
                return False
            fields = {"status": status, "status_changed_at": now, "status_changed_by": by}
            if status == Status.APPROVED:
                fields["approved_at"] = now
            Comment.objects.filter(pk=self.pk).update(**fields)
            for key, value in fields.items():
                setattr(self, key, value)
            history.record(self, current, status, by, via, now)
        return True


class BlockedTerm(models.Model):
    """A word, or a domain (anything with a dot), that marks a comment as spam. Editable in the
    admin by moderators."""

    term = models.CharField(max_length=100, unique=True)
    note = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("term"), FieldPanel("note")]

    class Meta:
        ordering = ["term"]
        verbose_name = "blocked word or domain"

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = self.term.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_domain(self):
        return "." in self.term
