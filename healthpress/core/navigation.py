"""The topics every page header links to: one statement, written out (see core/sql.py for why).

Wagtail's `TopicPage.objects.live().public()` takes two queries (every view restriction, then the
topics) and about 2 ms of CPU to build them on each uncached render; this is one NOT EXISTS."""

import functools

from django.db import connection

from .memo import purge_bound

NAV_COLUMNS = ("id", "path", "depth", "url_path", "title", "live", "locale")


def live_topics():
    """Every published, public topic, by title (kept until the next purge: core/memo.py)."""
    return purge_bound("live-topics", _query_live_topics)


def _query_live_topics():
    from .models import TopicPage

    return list(TopicPage.objects.raw(_live_topics_sql(connection.vendor), [True]))


@functools.cache
def _live_topics_sql(vendor):
    from wagtail.models import Page

    from .models import TopicPage
    from .sql import column, joined_to_page, no_view_restriction, page_columns

    ptr, source = joined_to_page(TopicPage, "t")
    return (
        f"SELECT t.{ptr}, {page_columns('p', NAV_COLUMNS)} {source} "
        f"WHERE p.{column(Page, 'live')} = %s AND {no_view_restriction('p')} "
        f"ORDER BY p.{column(Page, 'title')}, p.{column(Page, 'id')}"
    )
