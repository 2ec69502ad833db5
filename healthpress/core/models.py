from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index


def live_articles():
    from healthpress.articles.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .public()
        .select_related("author")
        .order_by("-first_published_at", "pk")
    )


def with_topics(articles, topics):
    """Attach each article's topic from already-fetched topics: a listing costs no extra query."""
    by_path = {topic.path: topic for topic in topics}
    articles = list(articles)
    for article in articles:
        article.listed_topic = by_path.get(article.path[: -article.steplen])
    return articles


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=600)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.TopicPage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def topics(self):
        return TopicPage.objects.child_of(self).live().public().order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = list(self.topics())
        context["topics"] = topics
        context["latest_articles"] = with_topics(live_articles().descendant_of(self)[:12], topics)
        return context


class TopicPage(Page):
    """A health area such as “Muscles, bones and joints”, listing its articles."""

    intro = models.TextField(blank=True, max_length=600)

    parent_page_types = ["core.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = "topic"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = live_articles().child_of(self).order_by("title")
        return context
