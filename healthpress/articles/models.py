from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import ArticleBodyBlock


class ArticlePage(Page):
    """A question answered by a named expert: the heart of HealthPress."""

    short_answer = models.TextField(
        max_length=1200,
        help_text="The answer in two or three sentences. Shown under the question, in lists "
        "and in search results.",
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
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

    parent_page_types = ["core.TopicPage"]
    subpage_types = []

    content_panels = [
        TitleFieldPanel("title", heading="Question", help_text="The reader's question, as asked."),
        FieldPanel("short_answer"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("author"), FieldPanel("last_updated")], heading="Byline"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_answer"),
        index.SearchField("body"),
        index.RelatedFields("author", [index.SearchField("name")]),
        index.FilterField("author"),
    ]

    class Meta:
        verbose_name = "article"

    @property
    def topic(self):
        from healthpress.core.models import TopicPage

        return TopicPage.objects.filter(path=self.path[: -self.steplen]).first()

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

    def section_headings(self):
        return [block.value["heading"] for block in self.body if block.block_type == "section"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic"] = self.topic
        context["numbered_body"] = self.numbered_body()
        return context
