"""What each record of a WordPress export became, so that a second run updates instead of
creating twice. Keyed by the exporting site (wxr.Site.key) and the record's WordPress identity:
a post's or attachment's ID, a category's slug, an author's login, a comment's ID."""

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
