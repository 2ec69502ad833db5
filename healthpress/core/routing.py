"""Routing a topic or article address in one query instead of Wagtail's two per level.

Wagtail routes /topic/article/ one level at a time: the child with that slug, then its specific
row, for each level (four queries below the home page). Those queries cost about 5 ms of CPU to
build on every uncached render. Here one query fetches the topic and the article with their
specific rows, and the page found answers as Wagtail would (a draft raises Http404). For an
anonymous reader the topic comes from the live topics kept until the next purge
(core/navigation.py), and the article from one written-out statement. Anything else (other page
types, unknown slugs, deeper paths) is left to Wagtail's own routing.
tests/core/test_routing.py checks every kind of address against Wagtail's answer.
"""

import functools

from django.db import connection
from django.db.models import Q

from healthpress.pagecache.front import anonymous

from .sql import raw


def route_topic_or_article(home, request, path_components):
    """Wagtail's RouteResult for a live topic or article below `home`, or None."""
    from wagtail.models import Page

    if not 1 <= len(path_components) <= 2:
        return None
    topic = None
    if anonymous(request.META.get("HTTP_COOKIE")):
        topic = kept_topic(home, path_components[0])
    if topic is not None:
        articles = articles_named(home.depth + 2, *path_components[1:])
    else:
        topic, articles = query_topic_and_articles(home, path_components)
    if topic is None or type(topic).route is not Page.route:
        return None  # a page type with routing of its own decides for itself
    topic._cached_parent_obj = home
    if len(path_components) == 1:
        return topic.route(request, [])  # Http404 for a draft, as Wagtail answers
    article = next((a for a in articles if a.path.startswith(topic.path)), None)
    if article is None:
        return None
    # treebeard's get_parent() and ArticlePage.topic use the parent Wagtail routed through.
    article._cached_parent_obj = topic
    return article.route(request, [])


def kept_topic(home, slug):
    """The live, public topic `slug` below `home`, from the kept topic list; None if not there
    (a draft or private topic, or another page: the query below decides)."""
    from .navigation import live_topics

    depth = home.depth + 1
    for topic in live_topics():
        if topic.slug == slug and topic.depth == depth and topic.path.startswith(home.path):
            return topic
    return None


def articles_named(depth, slug=None):
    """Whole ArticlePage rows at `depth` with this slug, under any topic (none without one)."""
    from healthpress.articles.models import ArticlePage

    if slug is None:
        return []
    return list(raw(ArticlePage, _articles_named_sql(connection.vendor), [depth, slug]))


@functools.cache
def _articles_named_sql(vendor):
    from wagtail.models import Page

    from healthpress.articles.models import ArticlePage

    from .sql import column, select_whole_pages

    return (
        f"{select_whole_pages(ArticlePage, 'a')} "
        f"WHERE p.{column(Page, 'depth')} = %s AND p.{column(Page, 'slug')} = %s"
    )


def query_topic_and_articles(home, path_components):
    """(the topic, the articles with the second slug) from one ORM query, live or not."""
    from wagtail.models import Page

    levels = Q()
    for depth, slug in enumerate(path_components, start=home.depth + 1):
        levels |= Q(depth=depth, slug=slug)
    # By depth and slug only (both indexed); a path LIKE would scan the page table on SQLite.
    found = Page.objects.filter(levels).order_by().select_related("topicpage", "articlepage")
    topic, articles = None, []
    for page in found:
        if not page.path.startswith(home.path):
            continue  # the same slugs under another site's home page
        if page.depth == home.depth + 1 and hasattr(page, "topicpage"):
            topic = page.topicpage
        elif page.depth == home.depth + 2 and hasattr(page, "articlepage"):
            articles.append(page.articlepage)  # the same slug may be used under other topics
    return topic, articles
