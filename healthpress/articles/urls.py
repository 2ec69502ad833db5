from django.urls import path

from .feeds import NewestArticlesAtomFeed, NewestArticlesFeed

app_name = "feeds"
urlpatterns = [
    path("rss/", NewestArticlesFeed(), name="rss"),
    path("atom/", NewestArticlesAtomFeed(), name="atom"),
    path("topics/<slug:topic_slug>/rss/", NewestArticlesFeed(), name="topic_rss"),
    path("topics/<slug:topic_slug>/atom/", NewestArticlesAtomFeed(), name="topic_atom"),
]
