"""/sitemap.xml: an index of files of at most SITEMAP_LIMIT addresses (healthpress/sitemaps.py)."""

import re

import pytest

from tests.at_size import add_articles, queries
from tests.sitemap_files import all_files_xml, file_urls, locs

pytestmark = pytest.mark.django_db


def test_the_index_splits_the_pages_into_files_of_at_most_the_limit(
    client, settings, topic, author
):
    settings.SITEMAP_LIMIT = 5
    add_articles(topic, 12, author=author)
    files = file_urls(client)
    # home, topic and 12 articles: 14 pages in 3 files; one author in 1.
    assert files == [
        "/sitemap-pages.xml",
        "/sitemap-pages.xml?p=2",
        "/sitemap-pages.xml?p=3",
        "/sitemap-authors.xml",
    ]
    counts = [len(locs(client.get(url).content.decode())) for url in files]
    assert counts == [5, 5, 4, 1]
    listed = locs(all_files_xml(client))
    assert len(listed) == len(set(listed)) == 15


def test_the_index_gives_each_file_a_lastmod(client, topic, author):
    add_articles(topic, 2, author=author)
    index = client.get("/sitemap.xml").content.decode()
    assert len(re.findall(r"<sitemap>\s*<loc>[^<]+</loc>\s*<lastmod>", index)) == 2


def test_a_page_past_the_last_is_not_found(client, settings, topic):
    settings.SITEMAP_LIMIT = 5
    add_articles(topic, 2)
    assert client.get("/sitemap-pages.xml?p=2").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-authors.xml"])
def test_each_sitemap_file_costs_the_same_queries_for_10_and_200_articles(
    client, settings, topic, author, url
):
    settings.SITEMAP_LIMIT = 300
    add_articles(topic, 10, author=author)
    few, response = queries(client, url)
    add_articles(topic, 190, start=10, author=author)
    many, response = queries(client, url)
    assert many == few
    if url == "/sitemap-pages.xml":
        assert len(locs(response.content.decode())) == 202
