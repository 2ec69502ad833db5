from django.urls import path

from healthpress.core.canonical_params import canonical_query

from .feeds import NewestArticlesAtomFeed, NewestArticlesFeed

# Feeds take no query: a value of a parameter the page cache keeps is a 404, never a stored copy.
rss, atom = canonical_query()(NewestArticlesFeed()), canonical_query()(NewestArticlesAtomFeed())

app_name = "feeds"
urlpatterns = [
    path("rss/", rss, name="rss"),
    path("atom/", atom, name="atom"),
    path("topics/<slug:topic_slug>/rss/", rss, name="topic_rss"),
    path("topics/<slug:topic_slug>/atom/", atom, name="topic_atom"),
]
