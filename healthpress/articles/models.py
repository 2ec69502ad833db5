from collections.abc import Iterable
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import localtime, make_aware
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Page, PageManager
from wagtail.search import index

from healthpress.core.pages import HealthPressPageQuerySet, KnownRestrictions
from healthpress.pagecache.memo import purge_bound
from healthpress.people.models import Person

from .blocks import ArticleBodyBlock, ReferenceBlock
from .citations import cited_numbers
from .publishing import ArticlePermissionTester

DEFAULT_DISCLAIMER = (
    "This article is general information, not a substitute for professional medical advice, "
    "diagnosis or treatment. Talk to a doctor, nurse or pharmacist about your own health, and "
    "in an emergency call your local emergency number."
)
RELATED_LIMIT = 4
# Related questions rank only the topic's newest sharers of a tag, this many (related.py).
RELATED_CANDIDATES = 20
TOC_BLOCKS = ("prevention", "see_doctor", "urgent", "first_aid")


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )

    class Meta:
        # Related questions (related.py) read the articles of a tag from this index alone.
        indexes = [
            models.Index(fields=["tag", "content_object"], name="articles_tag_article_idx"),
        ]


class FirstPublishedCopy(models.DateTimeField):
    """Wagtail's `first_published_at`, which lives on the page table, copied onto the article row
    whenever the row is written (a save, the bulk import's insert: both ask each field's
    `pre_save`), so one index of the article table holds an author's articles newest first.
    Never set by hand: whatever it held, a write replaces it with the page's date."""

    def pre_save(self, model_instance, add):
        value = model_instance.first_published_at
        setattr(model_instance, self.attname, value)
        return value


# What an article card (templates/includes/article_card.html) reads: a listing loads no other
# column. A field the card starts reading must be added here, or each card costs one query more
# (tests/core/test_at_size.py counts each listing's queries for 10 and for 200 articles).
CARD_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "title",
    "live",
    "locale",
    "first_published_at",
    "short_answer",
    "author",
    "lead_image",
    "lead_image_alt",
)


class ArticlePageQuerySet(HealthPressPageQuerySet):
    def cards(self):
        """These articles with the columns their cards show, and no body, references or search
        text: a listing page's 20 rows decoded whole took a tenth of its render (docs/
        performance.md, issue 27)."""
        return self.only(*CARD_FIELDS)

    def newest_first(self):
        """These articles as a listing shows them, live and public, newest first, read from the
        article table's author index (ArticlePage.Meta) without a page row each: an author page
        joined to the page table for the date read all of an author's 10,000 rows to sort them
        (docs/performance.md, issue 27). The listing's articles are then loaded through
        `live().public()` as any listing's are."""
        return self.live_public_unjoined().order_by("-first_published_copy", "pk")


class ArticlePage(KnownRestrictions, Page):
    """A question answered by a named expert: the heart of HealthPress."""

    short_answer = models.TextField(
        max_length=1200,
        help_text="The answer in two or three sentences. Shown under the question, in lists "
        "and in search results.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the article, on its cards and when it is shared.",
    )
    lead_image_alt = models.CharField(
        max_length=250,
        blank=True,
        verbose_name="lead image alt text",
        help_text="What the picture shows, for someone who cannot see it. Leave empty to use the "
        "image's own description.",
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    references = StreamField(
        [("reference", ReferenceBlock())],
        blank=True,
        help_text="Numbered in this order. Cite one in the text as [1], [2]…",
    )
    condition_name = models.CharField(
        max_length=120,
        blank=True,
        verbose_name="condition",
        help_text='What the article is about, as a condition, e.g. "Muscle cramp". Tells search '
        "engines the subject (structured data).",
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTag, blank=True, help_text="Used to suggest related articles."
    )
    author = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    last_updated = models.DateField(
        null=True,
        blank=True,
        help_text="Set when the advice changes in substance. Leave empty for a new article.",
    )
    # Set by the medical review workflow when a reviewer approves (see review.py).
    reviewer = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        help_text="Recorded when a medical reviewer approves the article.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Recorded when a medical reviewer approves the article."
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Set from the review interval on approval; bring it forward if the evidence "
        "is moving.",
    )

    # Kept by FirstPublishedCopy; save() adds it when Wagtail saves only some fields (a copy
    # of a live page saves `first_published_at` alone).
    first_published_copy = FirstPublishedCopy(null=True, editable=False)

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    parent_page_types = ["core.TopicPage"]
    subpage_types = []

    content_panels = [
        TitleFieldPanel("title", heading="Question", help_text="The reader's question, as asked."),
        FieldPanel("short_answer"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_alt")], heading="Lead image"
        ),
        FieldPanel("body"),
        FieldPanel("references"),
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("last_updated"), FieldPanel("condition_name")],
            heading="Byline and subject",
        ),
        MultiFieldPanel(
            [
                FieldPanel("reviewer", read_only=True),
                FieldPanel("last_reviewed", read_only=True),
                FieldPanel("next_review_due"),
            ],
            heading="Medical review",
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("tags")]
    search_fields = [
        # Weights for search (issue 6): question (Page's title, boost 2) > short answer and
        # condition > section headings > body. PostgreSQL ranks by these; see docs/search.md.
        *Page.search_fields,
        index.SearchField("short_answer", boost=1.5),
        index.SearchField("condition_name", boost=1.5),
        index.SearchField("section_headings", boost=1.2),
        index.SearchField("body", boost=1.0),
        index.RelatedFields("author", [index.SearchField("name")]),
        index.FilterField("author"),
    ]

    class Meta:
        verbose_name = "article"
        # The author page counts and lists an author's articles from this index alone
        # (ArticlePageQuerySet.newest_first). (The foreign key's own index is kept: dropping it
        # would make SQLite copy the whole article table in the migration.)
        indexes = [
            models.Index(
                fields=["author", "-first_published_copy", "page_ptr"],
                name="articles_author_newest_idx",
            )
        ]
        permissions = [
            ("unpublish_article", "Can take an article down without review"),
        ]

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "first_published_at" in update_fields:
            update_fields = [*update_fields, "first_published_copy"]
        return super().save(*args, update_fields=update_fields, **kwargs)

    def clean(self):
        super().clean()
        if self.lead_image_id and not self.lead_image_alt_text:
            raise ValidationError(
                {"lead_image_alt": "Describe the lead image for readers who cannot see it."}
            )

    @property
    def lead_image_alt_text(self):
        """The lead image's alt text: the article's own, else the image's description."""
        if not self.lead_image_id or self.lead_image is None:
            return ""
        return self.lead_image_alt.strip() or (self.lead_image.description or "").strip()

    def has_video(self):
        return any(block.block_type == "video" for block in self.body)

    def video_player_hosts(self):
        """The hosts of the players this page's videos swap in on play (video.py)."""
        from .blocks import video_link

        links = (video_link(b.value) for b in self.body if b.block_type == "video")
        return sorted({link.player_host for link in links if link})

    def serve(self, request, *args, **kwargs):
        # The player's host may be framed only on a page that has a video from it: every other
        # page keeps the site's policy, which frames nothing (django-csp's per-response update).
        hosts = self.video_player_hosts()
        if not hosts:
            return super().serve(request, *args, **kwargs)
        from csp.decorators import csp_update

        serve = csp_update({"frame-src": hosts})(super().serve)
        return serve(request, *args, **kwargs)

    def permissions_for_user(self, user):
        """Wagtail's documented override: every admin path that publishes, moves or unpublishes
        an article asks this tester (publishing.py holds the rules)."""
        return ArticlePermissionTester(user, self)

    @property
    def topic(self):
        # Wagtail's routing hands the served page the (specific) topic it came through, which
        # treebeard's get_parent() returns without a query; elsewhere it is one query.
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    def numbered_body(self):
        """Body blocks paired with their section number (None for blocks that are not sections)."""
        number = 0
        numbered = []
        for block in self.body:
            if block.block_type == "section":
                number += 1
                numbered.append((block, number))
            else:
                numbered.append((block, None))
        return numbered

    def body_images(self):
        """The pictures of the body's figures and video posters, in order."""
        images = []
        for block in self.body:
            if block.block_type == "figure":
                images.append(block.value["image"])
            elif block.block_type == "video":
                images.append(block.value["poster"])
        return [image for image in images if image]

    def section_headings(self):
        return [block.value["heading"] for block in self.body if block.block_type == "section"]

    def reference_list(self):
        """(number, reference value) pairs, numbered from 1 in the editor's order."""
        return [(n, block.value) for n, block in enumerate(self.references, start=1)]

    def cited_references(self):
        """Numbers of the references the body actually cites with a [n] marker."""
        return cited_numbers(_strings(self.body.raw_data), len(self.references))

    def related_articles(self, limit=RELATED_LIMIT):
        """Up to `limit` live, public articles: same topic first (of its RELATED_CANDIDATES
        newest articles sharing a tag, those sharing the most tags, newest first within each),
        then as related.py says. A fixed number of queries, whatever the size of the site."""
        from .related import related_articles

        return related_articles(self, limit)

    def attach_people(self, related=()):
        """Fetch the author, the reviewer and the related articles' authors in one query instead
        of one each."""
        ids = {pk for pk in (self.author_id, self.reviewer_id) if pk}
        ids.update(article.author_id for article in related if article.author_id)
        people = Person.objects.in_bulk(ids) if ids else {}
        for article in (self, *related):
            if article.author_id in people:
                article.author = people[article.author_id]
        if self.reviewer_id in people:
            self.reviewer = people[self.reviewer_id]

    def get_context(self, request, *args, **kwargs):
        from .renditions import prefetch_pictures
        from .review import review_notice, review_settings_for

        related = self.related_articles()
        self.attach_people(related)
        prefetch_pictures(self, related)
        context = super().get_context(request, *args, **kwargs)
        context["topic"] = self.topic
        context["numbered_body"] = self.numbered_body()
        context["show_toc"] = len(self.section_headings()) >= 3
        # Blocks with a heading of their own; figures, tables, videos and paragraphs have none.
        context["toc_blocks"] = TOC_BLOCKS
        context["references"] = self.reference_list()
        context["cited"] = self.cited_references()
        context["related_articles"] = related
        site_settings = review_settings_for(request)
        context["review_settings"] = site_settings
        context["review"] = review_notice(self, site_settings)
        return context

    def get_sitemap_urls(self, request=None):
        # /sitemap.xml builds its entries from rows (healthpress/sitemaps.py) with the same two
        # rules; this is what Wagtail's own sitemap would list.
        urls = super().get_sitemap_urls(request)
        for url in urls:
            url["lastmod"] = sitemap_lastmod(url.get("lastmod"), self.last_reviewed)
        # The lead image as <image:image> (templates/sitemap.xml): the JPEG link previews use.
        from .renditions import share_image

        shared = share_image(self, request)
        for url in urls:
            url["images"] = [shared["url"]] if shared else []
        return urls


def sitemap_lastmod(published, last_reviewed):
    """An article's <lastmod>: a review changes what the page vouches for, so it counts as a
    modification. Always a datetime (the start of the review's day when that is later), so
    a sitemap's entries compare with one another."""
    if last_reviewed and (published is None or localtime(published).date() < last_reviewed):
        return make_aware(datetime.combine(last_reviewed, time.min))
    return published


def _strings(value):
    """Every string inside StreamField raw data: where editors may type [n] markers."""
    if isinstance(value, str):
        yield value
    elif hasattr(value, "values"):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _strings(item)


class MedicalReviewTask(AbstractGroupApprovalTask):
    """Approval by a medical reviewer. Behaves like Wagtail's group approval, except that
    nobody approves an article they wrote or submitted, and approval records who reviewed it
    and when (see review.py)."""

    def get_actions(self, obj, user):
        from .review import may_approve

        actions = super().get_actions(obj, user)
        if may_approve(obj, user):
            return actions
        return [action for action in actions if action[0] != "approve"]

    def on_action(self, task_state, user, action_name, **kwargs):
        from .review import record_approval

        if action_name == "approve":
            record_approval(task_state, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve articles; nobody approves their own article, "
            "and approval records the reviewer and the review date"
        )

    class Meta:
        verbose_name = "Medical review task"
        verbose_name_plural = "Medical review tasks"


@register_setting(icon="success")
class ReviewSettings(BaseSiteSetting):
    """Site-wide rules for medical review and the trust notices readers see."""

    review_interval_months = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long a review stays valid. The next review falls due this many months "
        "after an approval.",
    )
    disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        max_length=1000,
        help_text="Shown at the end of every article.",
    )
    show_overdue_notice = models.BooleanField(
        default=True,
        help_text="Tell readers when an article is past its review date.",
    )
    editorial_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the footer and from every article's review line.",
    )

    @classmethod
    def for_site(cls, site):
        """Kept until the next purge (pagecache/memo.py): saving them purges everything."""

        def load():
            # The policy page is shown on every page: fetch it with the settings, not after.
            query = cls.objects.select_related("editorial_policy_page")
            return query.get_or_create(site=site)[0]

        return purge_bound(("review-settings", site.pk), load) if site else load()

    panels = [
        FieldPanel("review_interval_months"),
        FieldPanel("show_overdue_notice"),
        FieldPanel("disclaimer"),
        FieldPanel("editorial_policy_page"),
    ]

    class Meta:
        verbose_name = "Medical review and trust"
