"""RSS 2.0 and Atom feeds of newly published articles: the whole site, and one per topic."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from healthpress.core.models import (
    HomePage,
    TopicPage,
    in_id_order,
    live_articles,
    with_topics,
)
from healthpress.core.site import absolute_url, site_root_url

from .renditions import SHARE


class NewestArticlesFeed(Feed):
    """One instance serves every request, so nothing per request is kept on it: addresses come
    from each page's Wagtail Site, which is also what the pages' canonical links use. Django
    would put the request's Host in front of any address left relative, so none is."""

    feed_type = Rss201rev2Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django's own choice for the feed's address (its rel="self" link) is the Host header.
        feed.feed["feed_url"] = absolute_url(request, request.path)
        return feed

    def get_object(self, request, topic_slug=None):
        if topic_slug is None:
            return None
        topic = TopicPage.objects.live().public().filter(slug=topic_slug).first()
        if topic is None:
            raise Http404("No such topic")
        return topic

    def title(self, topic):
        name = settings.WAGTAIL_SITE_NAME
        return f"{name}: {topic.title}" if topic else f"{name}: newest answers"

    def link(self, topic):
        page = topic or HomePage.objects.first()
        return (page.full_url if page else None) or site_root_url() + "/"

    def description(self, topic):
        if topic:
            return topic.intro or f"New answers in {topic.title}."
        return "New answers to health questions, written by named experts and medically reviewed."

    def items(self, topic):
        if topic is None:
            return self.with_links(live_articles()[: settings.FEED_ITEMS])
        # The topic's newest ids from the page index, then those articles: reading the whole
        # topic to sort it took 70 ms for 25,000 articles on SQLite.
        ids = list(topic.article_ids()[: settings.FEED_ITEMS])
        return self.with_links(in_id_order(live_articles(), ids))

    @staticmethod
    def with_links(articles):
        """The articles with their topics, and their own and their author's address from each
        article's Site."""
        articles = with_topics(articles, TopicPage.objects.all())
        for article in articles:
            _, root_url, path = article.get_url_parts() or (None, "", "")
            article.feed_link = f"{root_url}{path}"
            article.feed_author_link = (
                f"{root_url}{article.author.get_absolute_url()}" if article.author else None
            )
            article.feed_image = None
            if article.lead_image_id and article.lead_image:
                # A JPEG, as feed readers take it; made by the publish (renditions.py).
                rendition = article.lead_image.get_rendition(SHARE)
                url = rendition.url
                if not url.startswith(("http://", "https://")):  # local storage; S3 is absolute
                    url = f"{root_url}{url}"
                article.feed_image = Enclosure(url, str(rendition.file.size), "image/jpeg")
        return articles

    def item_enclosures(self, article):
        return [article.feed_image] if article.feed_image else []

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.short_answer

    def item_link(self, article):
        return article.feed_link

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.last_published_at

    def item_author_name(self, article):
        return article.author.display_name if article.author else None

    def item_author_link(self, article):
        return article.feed_author_link

    def item_categories(self, article):
        return [article.listed_topic.title] if article.listed_topic else []


class NewestArticlesAtomFeed(NewestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = NewestArticlesFeed.description
