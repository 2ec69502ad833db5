from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from .canonical_params import listing_page_number
from .pages import HealthPressPageManager, KnownRestrictions, every_page
from .tree import children_by_parent_path


def live_articles():
    """Live, public articles, newest first. Articles sit above core, so the articles app hands
    them to core's listings through the `live_articles` Wagtail hook (articles/wagtail_hooks.py);
    its queryset's `cards()` keeps the columns a card shows."""
    [provider] = hooks.get_hooks("live_articles")
    return provider()


def with_topics(articles, topics):
    """Attach each article's topic from already-fetched topics: a listing costs no extra query.
    The tree's own test (`is_child_of()`, treebeard's, which Wagtail's pages inherit) says which
    topic an article sits under; a listing has a few dozen articles and a site a few topics."""
    if isinstance(topics, models.QuerySet):
        # Unordered: in Wagtail's tree order SQLite reads the topics by walking the path index
        # of every page of the site (10 ms at 100,000 articles), not the few topic rows.
        topics = topics.order_by()
    topics = list(topics)
    articles = list(articles)
    for article in articles:
        article.listed_topic = next((t for t in topics if article.is_child_of(t)), None)
    return articles


def in_id_order(queryset, ids):
    """The rows of `queryset` whose primary keys are `ids`, in the order of `ids`: for lists
    whose order was decided by a narrow query first. A row gone since (unpublished meanwhile)
    is left out."""
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def paginate_articles(request, ids):
    """One page of a listing of live articles from the ordered ids of all of them: the count and
    the page's ids come from a narrow query an index serves, and only the page's articles are
    loaded whole (sorting every row of a 5,000-article topic with its body took 30-150 ms on
    SQLite, docs/performance.md)."""
    page = paginate(request, ids)
    page.object_list = in_id_order(live_articles().cards(), list(page.object_list))
    return page


def paginate(request, items):
    """One page of a listing from ?page=N; Http404 for a page that is not there or not written
    as our links write it (core/canonical_params.py): the page cache stores every 200."""
    number = listing_page_number(request.GET) if request else 1
    try:
        return Paginator(items, settings.ARTICLES_PER_PAGE).page(number)
    except InvalidPage:
        raise Http404("No such page of this listing") from None


class HomePage(KnownRestrictions, Page):
    intro = models.TextField(blank=True, max_length=600)

    objects = HealthPressPageManager()

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.TopicPage", "core.EditorialPolicyPage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    # The addresses another CMS answered at its home address with a query (WordPress's `?p=ID`,
    # `?page_id=ID`, `?cat=ID`, `?author=ID`). After a move they are rows of Wagtail's redirects
    # app, whose middleware only looks at a 404, and the home page answers 200: it looks itself.
    OLD_QUERY_ADDRESSES = ("p", "page_id", "cat", "author")

    def serve(self, request, *args, **kwargs):
        if any(name in request.GET for name in self.OLD_QUERY_ADDRESSES):
            old_path = Redirect.normalise_path(request.get_full_path())
            redirects = Redirect.get_for_site(Site.find_for_request(request))
            redirect = redirects.filter(old_path=old_path).first()
            if redirect is not None and redirect.link:
                return HttpResponsePermanentRedirect(redirect.link)
        return super().serve(request, *args, **kwargs)

    def topics(self):
        """The live, public topics: every topic is a child of the one home page (max_count,
        parent_page_types), so they are the header's, kept until the next purge. Asked of the
        database, Wagtail's child_of() made SQLite read every page of the site for its LIKE
        (50 ms at 100,000 articles), and so did a filter on `live` alone."""
        from .navigation import live_topics  # navigation reads this module's models

        return live_topics()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = list(self.topics())
        context["topics"] = topics
        latest = live_articles().cards().descendant_of(self)[:12]
        context["latest_articles"] = with_topics(latest, topics)
        return context


class TopicPage(KnownRestrictions, Page):
    """A health area such as “Muscles, bones and joints”, listing its articles."""

    intro = models.TextField(blank=True, max_length=600)

    objects = HealthPressPageManager()

    parent_page_types = ["core.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    query_params = ("page",)  # the article listing's page (core/canonical_params.py)

    class Meta:
        verbose_name = "topic"

    def article_ids(self):
        """The ids of the topic's live, public articles, newest first, the id breaking ties (a
        bulk import publishes many at one instant): a stable order, so no article shows on two
        pages of the listing or on none. The children are found by their parent's path
        (core/tree.py), so a listing page is read in order, and counted, from the index of
        migration 0005 alone, without the article table (a topic holds articles only:
        subpage_types), through core/pages.py's public()."""
        return (
            every_page()
            .live()
            .public()
            .filter(children_by_parent_path(self))
            .order_by("-first_published_at", "id")
            .values_list("id", flat=True)
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate_articles(request, self.article_ids())
        return context


class EditorialPolicyPage(KnownRestrictions, Page):
    """How articles are written, reviewed and corrected: linked from the footer and from every
    article's review line (Settings → Medical review and trust)."""

    intro = models.TextField(blank=True, max_length=600)

    objects = HealthPressPageManager()
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = "editorial policy page"
