"""Reader pages at size: the home page, a topic, an author and an article (with its related
articles) cost the same number of queries whether the site holds 10 or 200 articles (issue 27.3)."""

import pytest

from tests.at_size import add_articles, queries

pytestmark = pytest.mark.django_db


def compare(client, topic, author, url_of):
    """Queries for `url_of()` at 10 articles and again at 200 (all by `author`, one tag)."""
    add_articles(topic, 10, author=author)
    few, _ = queries(client, url_of())
    add_articles(topic, 190, start=10, author=author)
    many, response = queries(client, url_of())
    return few, many, response.content.decode()


def test_topic_page_costs_the_same_queries_for_10_and_200_articles(client, topic, author):
    few, many, html = compare(client, topic, author, lambda: topic.url)
    assert many == few
    # Newest first: the second import, in its own order (the id breaks the tie).
    assert "Why does joint number 10 ache?" in html
    assert "Why does joint number 0 ache?" not in html


def test_a_later_topic_page_costs_the_same_too(client, settings, topic, author):
    settings.ARTICLES_PER_PAGE = 5
    few, many, _ = compare(client, topic, author, lambda: f"{topic.url}?page=2")
    assert many == few


def test_author_page_costs_the_same_queries_for_10_and_200_articles(client, topic, author):
    few, many, html = compare(client, topic, author, author.get_absolute_url)
    assert many == few
    assert "Why does joint number 10 ache?" in html


def test_home_page_costs_the_same_queries_for_10_and_200_articles(client, topic, author):
    # 10 cards, then 12: a column a card reads outside ArticlePage.cards() shows here.
    few, many, html = compare(client, topic, author, lambda: "/")
    assert many == few
    assert "Why does joint number 10 ache?" in html


def test_an_article_with_its_related_articles_costs_the_same_for_10_and_200(client, topic, author):
    from healthpress.articles.models import ArticlePage

    def first_article():
        return ArticlePage.objects.get(slug="why-does-joint-number-0-ache").url

    few, many, _ = compare(client, topic, author, first_article)
    assert many == few


def test_topic_pages_list_every_article_once_in_a_stable_order(client, settings, topic):
    settings.ARTICLES_PER_PAGE = 4
    created = add_articles(topic, 10)  # one batch: published at the same instant
    seen = []
    for page in ("", "?page=2", "?page=3"):
        html = client.get(f"{topic.url}{page}").content.decode()
        seen += [n for n in range(10) if f"Why does joint number {n} ache?" in html]
    assert sorted(seen) == list(range(10)) and len(created) == 10
