"""The topics every page header links to, kept in each process until the next purge
(pagecache/memo.py): they change only through edits that purge the whole page cache."""

from healthpress.pagecache.memo import purge_bound

from .models import TopicPage


def live_topics():
    """Every published, public topic, by title."""
    return purge_bound(
        "live-topics", lambda: list(TopicPage.objects.live().public().order_by("title", "pk"))
    )
