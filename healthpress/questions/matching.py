"""Articles that may already answer a question, from the site's own search.

The search app is beside this one in the layers, so its ranking is reached through Wagtail's
search API and the `public` search backend it configures (WAGTAILSEARCH_BACKENDS), not an
import. That search writes no search log, but keeps each word's document count until the search
index next changes; when questions are erased, the `forget_searched_words` hook drops those
counts too.
"""

from wagtail import hooks

from healthpress.articles.models import ArticlePage

MAX_MATCHES = 5


def matching_articles(text, limit=MAX_MATCHES):
    return list(ArticlePage.objects.live().public().search(text, backend="public")[:limit])


def forget_matched_words():
    """After an erasure: nothing the matching step searched with stays in the search's tables."""
    for forget in hooks.get_hooks("forget_searched_words"):
        forget()
