"""The topics every page header links to: one statement, written out (see core/sql.py for why).

Wagtail's `TopicPage.objects.live().public()` takes two queries (every view restriction, then the
topics) and about 2 ms of CPU to build them on each uncached render; this is one NOT EXISTS, and
its answer is kept until the next purge (pagecache/memo.py). The rows are whole topics, so
routing can take an anonymous reader's topic from them too (core/routing.py)."""

import functools

from django.db import connection

from healthpress.pagecache.memo import purge_bound

from .sql import raw


def live_topics():
    """Every published, public topic, by title (kept until the next purge: pagecache/memo.py)."""
    return purge_bound("live-topics", _query_live_topics)


def _query_live_topics():
    from .models import TopicPage

    return list(raw(TopicPage, _live_topics_sql(connection.vendor), [True]))


@functools.cache
def _live_topics_sql(vendor):
    from wagtail.models import Page

    from .models import TopicPage
    from .sql import column, no_view_restriction, select_whole_pages

    return (
        f"{select_whole_pages(TopicPage, 't')} "
        f"WHERE p.{column(Page, 'live')} = %s AND {no_view_restriction('p')} "
        f"ORDER BY p.{column(Page, 'title')}, p.{column(Page, 'id')}"
    )
