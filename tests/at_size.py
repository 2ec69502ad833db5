"""A site of N articles made quickly (the bulk import), and a request's query count, for the
tests that check a page costs the same number of queries for 10 articles as for 200."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthpress.articles.bulk_import import BulkArticle, import_articles_in_bulk
from tests.conftest import make_article_content


def add_articles(topic, count, *, start=0, author=None, tags=("joints",), publish=True):
    """`count` more published articles under `topic`, numbered from `start`."""
    items = [
        BulkArticle(
            make_article_content(
                f"Why does joint number {n} ache?",
                1,
                short_answer=f"Joint {n} aches after a long walk.",
                tags=list(tags),
            ),
            author=author,
        )
        for n in range(start, start + count)
    ]
    return import_articles_in_bulk(items, topic, publish=publish).created


def queries(client, url, **kwargs):
    """(number of queries, response) of one GET, after two unmeasured ones that refill what is
    kept until the next purge (pagecache/memo.py: an import purges); fails unless 200."""
    for _ in range(2):
        client.get(url, **kwargs)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response
