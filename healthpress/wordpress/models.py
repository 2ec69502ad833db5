"""What each record of a WordPress export became, so that a second run updates instead of
creating twice. Keyed by the exporting site (wxr.Site.key) and the record's WordPress identity:
a post's or attachment's ID, a category's slug, an author's login, a comment's ID."""

from django.conf import settings
from django.db import models


class ImportedRecord(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        CATEGORY = "category", "Category"
        AUTHOR = "author", "Author"
        COMMENT = "comment", "Comment"

    site = models.CharField(max_length=255, help_text="The export's site address.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    wp_id = models.CharField(max_length=255, help_text="The record's ID, slug or login there.")
    object_id = models.PositiveBigIntegerField(help_text="The page, image, person or comment here.")
    digest = models.CharField(
        max_length=64, blank=True, help_text="What it said when imported: different means update."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "wp_id"], name="wordpress_record_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.wp_id} from {self.site}"


class ImportRun(models.Model):
    """One import started from the admin: it runs as a background task on a file already on the
    server (an export of a large site is too big for one upload request), and keeps its report."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    export = models.CharField(
        max_length=255, help_text="The export's file name in the import folder."
    )
    uploads = models.CharField(
        max_length=255, blank=True, help_text="The uploads folder's name in the import folder."
    )
    publish_live = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Posts, pages and attachments.")
    done = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    report_csv = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.export} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
