"""What the partner API keeps besides Wagtail's own tables: articles taken down (so partners
remove their copies), each key's requests per day, and the publisher's reuse terms.

Keys themselves are Wagtail's `APIToken` rows (stored as a keyed hash), owned by partner users
who hold no permission at all (keys.py)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import APIToken

DEFAULT_ATTRIBUTION = (
    "Content supplied by {site}. Written by {author} and medically reviewed by {reviewer}. "
    "Read the original: {url}"
)


class Withdrawal(models.Model):
    """An article readers could see and no longer can: unpublished, deleted, or put behind a view
    restriction. The API answers 410 for it and lists it, so a partner removes its copy of
    advice we took down. Public again, it stops being withdrawn (the row goes)."""

    UNPUBLISHED = "unpublished"
    DELETED = "deleted"
    RESTRICTED = "restricted"
    REASONS = [(UNPUBLISHED, "Unpublished"), (DELETED, "Deleted"), (RESTRICTED, "Made private")]

    # Not a foreign key: the page may be gone.
    page_id = models.PositiveIntegerField(unique=True)
    url = models.URLField(max_length=500, blank=True)
    reason = models.CharField(max_length=12, choices=REASONS)
    withdrawn_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "withdrawn article"

    def __str__(self):
        return f"article {self.page_id} ({self.reason})"


class KeyUsage(models.Model):
    """Requests one key made on one day, written from the cache's counters (usage.py)."""

    token = models.ForeignKey(APIToken, on_delete=models.CASCADE, related_name="partner_usage")
    day = models.DateField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "day"], name="one_usage_row_per_key_and_day")
        ]

    def __str__(self):
        return f"{self.token_id} on {self.day}: {self.requests}"


@register_setting(icon="key")
class ReuseTerms(BaseSiteSetting):
    """The licence, attribution and refresh rule every API answer and embed carries."""

    licence = models.CharField(
        max_length=200,
        default="All rights reserved. Reuse under the terms of your partner agreement.",
        help_text='e.g. "CC BY-NC-ND 4.0", or the name of your partner agreement.',
    )
    licence_url = models.URLField(blank=True, help_text="Where the licence text can be read.")
    attribution = models.TextField(
        max_length=600,
        default=DEFAULT_ATTRIBUTION,
        help_text="Shown with every article a partner reuses. {site}, {author}, {reviewer}, "
        "{url} and {last_reviewed} are filled in.",
    )
    refresh_days = models.PositiveSmallIntegerField(
        default=7,
        help_text="Partners refresh their copy of an article at least this often (days), "
        "and remove withdrawn articles within the same time.",
    )

    panels = [
        FieldPanel("licence"),
        FieldPanel("licence_url"),
        FieldPanel("attribution"),
        FieldPanel("refresh_days"),
    ]

    class Meta:
        verbose_name = "Partner API reuse terms"

    @classmethod
    def for_site(cls, site):
        """Kept until the next purge (pagecache/memo.py): saving them purges everything."""
        from healthpress.pagecache.memo import purge_bound

        def load():
            return cls.objects.get_or_create(site=site)[0]

        return purge_bound(("api-reuse-terms", site.pk), load) if site else cls()
