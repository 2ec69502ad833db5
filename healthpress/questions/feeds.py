"""RSS 2.0 and Atom feeds of the articles that answered readers' questions: the articles' feeds
(articles/feeds.py: every address from the request's Wagtail Site, never the Host header, the
feed's self link included) with the answered listing's articles, dated when each was answered.
No question's text and nothing about who asked: only what the articles show publicly."""

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from healthpress.articles.feeds import NewestArticlesFeed
from healthpress.core.site import absolute_url

from .answered_views import answered_articles


class AnsweredQuestionsFeed(NewestArticlesFeed):
    def get_object(self, request):
        # The listing's address on the request's Site: all the other methods need of the request.
        return absolute_url(request, reverse("questions:answered"))

    def title(self, listing_url):
        return f"{settings.WAGTAIL_SITE_NAME}: readers' questions answered"

    def link(self, listing_url):
        return listing_url

    def description(self, listing_url):
        return "Answers our experts wrote because readers asked, each checked by a medical reviewer"

    def items(self, listing_url):
        return self.with_links(answered_articles()[: settings.FEED_ITEMS])

    def item_pubdate(self, article):
        return article.answered_on


class AnsweredQuestionsAtomFeed(AnsweredQuestionsFeed):
    feed_type = Atom1Feed
    subtitle = AnsweredQuestionsFeed.description
