"""Purges run after the transaction that caused them commits, with real commits.

A purge inside the publishing transaction would let a reader in the window re-cache the old page
(the new rows are not visible to it yet) for up to PAGE_CACHE_SECONDS.
"""

import threading

import pytest
from django.db import connections, transaction
from django.test import Client

from healthpress.articles.content import ArticleContent, save_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
QUESTION = "Why do my knees click?"


@pytest.fixture(autouse=True)
def cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


def read_on_another_connection(url):
    """What a reader gets while the main thread's transaction is still open."""
    result = {}

    def read():
        try:
            result["response"] = Client().get(url)
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=30)
    return result["response"]


def cached(client, url):
    # The first render of a fresh site creates its review settings, which purges everything.
    for _ in range(2):
        client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_reader_during_the_publishing_transaction_cannot_outlive_its_commit(
    client, make_article, topic
):
    page = make_article(question=QUESTION, short_answer="Old answer.")
    cached(client, page.url)
    with transaction.atomic():
        save_article(ArticleContent(QUESTION, "New answer."), topic=topic, publish=True)
        during = read_on_another_connection(page.url)
    assert during.status_code == 200
    assert "Old answer." in during.content.decode()  # what was committed then
    after = client.get(page.url)
    assert after["X-Page-Cache"] == "miss"
    assert "New answer." in after.content.decode()


def test_a_rolled_back_change_purges_nothing(client, make_article, topic):
    page = make_article(question=QUESTION, short_answer="Old answer.")
    cached(client, page.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        save_article(ArticleContent(QUESTION, "New answer."), topic=topic, publish=True)
        raise RuntimeError("the editor's save failed half-way")
    response = client.get(page.url)
    assert response["X-Page-Cache"] == "hit"
    assert "Old answer." in response.content.decode()
