import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from healthpress.articles.models import RELATED_LIMIT
from tests.sitemap_files import all_files_xml

pytestmark = pytest.mark.django_db

# Steady state for an anonymous reader: review settings, topics and the private areas `public()`
# leaves out come from pagecache/memo.py. Wagtail's own serving costs 6 (Site, home, two a level;
# its view-restriction check is answered from the private areas kept: core/pages.py); the page
# adds related questions (the article's tags read, then two or three SELECTs on index ranges:
# three when its topic holds fewer articles than the list, articles/related.py), their people
# and the comment block (whose first page carries the counts). Pictures add two
# (test_figures.py).
ARTICLE_QUERIES = 11


def warm(client, url):
    """Render twice, as a running server has: the first render creates the site's review
    settings, and saving them purges the cache once committed, so only the second leaves the
    memo warm."""
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert client.get(url).status_code == 200


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    # The Site's root URL (Wagtail's default Site, localhost), not the request's Host.
    assert re.search(r"^Sitemap: http://localhost/sitemap\.xml$", body, re.M)


def test_sitemap_lists_published_articles_topics_and_authors_but_not_drafts(
    client, make_article, author
):
    live = make_article(question="Why do my knees click?")
    draft = make_article(question="Unfinished question?", publish=False)
    xml = all_files_xml(client)
    assert live.url in xml
    assert live.topic.url in xml
    assert author.get_absolute_url() in xml
    assert draft.slug not in xml


def test_draft_article_is_not_served_to_readers(client, make_article):
    draft = make_article(publish=False)
    assert client.get(f"/{draft.get_parent().slug}/{draft.slug}/").status_code == 404


@pytest.mark.parametrize("sections", [1, 5, 25])
def test_article_page_query_count_is_small_and_independent_of_sections(
    client, make_article, django_assert_max_num_queries, sections
):
    page = make_article(sections=sections)
    warm(client, page.url)
    with django_assert_max_num_queries(ARTICLE_QUERIES):
        response = client.get(page.url)
    assert response.status_code == 200


def test_article_page_query_count_is_the_same_for_2_and_30_sections(client, make_article):
    counts = []
    for n, question in [(2, "Short one?"), (30, "Long one?")]:
        page = make_article(question=question, sections=n)
        warm(client, page.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_article_query_count_is_the_same_whatever_the_references_and_related_articles(
    client, make_article, author
):
    """Reviewer, references, citations and related articles cost a fixed number of queries."""
    import datetime

    from healthpress.articles.review import set_review
    from healthpress.people.models import Person
    from tests.articles.helpers import reference

    reviewer = Person.objects.create(name="Kofi Mensah", credentials="MBBS")
    counts = []
    for n in (1, 12):
        page = make_article(
            f"Question with {n} references?",
            sections=n,
            references=[reference(f"Source {i}") for i in range(n)],
            tags=["muscles", "sleep"],
        )
        for i in range(n + RELATED_LIMIT):  # a full list in both: the same path of related.py
            make_article(f"Related {n}-{i}?", tags=["sleep"])
        set_review(page, reviewer, datetime.date(2026, 1, 5))
        page.save_revision().publish()
        warm(client, page.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response.status_code == 200
        assert "Medically reviewed by" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= ARTICLE_QUERIES


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/img/favicon.svg")
