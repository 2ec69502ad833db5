
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Person(index.Indexed, models.Model):
    """An expert who writes or reviews articles. Shown in the article's author box."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Used in the author page address /authors/<slug>/."
    )
    credentials = models.CharField(
        max_length=60, blank=True, help_text='Letters after the name, e.g. "MD" or "RN, MSc".'
    )
    job_title = models.CharField(max_length=120, blank=True, help_text='e.g. "Senior Expert".')
    role = models.CharField(
        max_length=120, blank=True, help_text='Role on this site, e.g. "Contributing Writer".'
    )
    bio = models.TextField(blank=True, max_length=1500)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The admin account of a reviewer: the review workflow records this Person when they approve.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="admin account",
        help_text="Link a medical reviewer's admin account so their approvals carry their name.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("credentials")], heading="Name"
        ),
        FieldPanel("job_title"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("bio"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:author", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


def article_model():
    """The articles' model (ArticlePage), which sits in the layer above people: reached through
    the author relation rather than imported."""
    return Person._meta.get_field("articles").related_model


def unique_slug(name):
    base = slugify(name)[:110] or "person"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
