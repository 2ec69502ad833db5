import pytest
from django.core.management import call_command

from healthpress.search.service import search_articles

CRAMPS = "Is cramping caused by excessive calcium or insufficient calcium?"


@pytest.fixture(scope="module")
def demo(module_transaction):
    """The demo, loaded once for the module's four searches, which only read it."""
    with module_transaction():
        call_command("load_demo", "--no-admin")


@pytest.fixture(autouse=True)
def each_test_in_its_own_transaction(db):
    """The page and the searches read the module's demo through the test's database access."""


@pytest.mark.parametrize(
    "query", ["why do my legs cramp at night", "calcium and cramps", "charley horse"]
)
def test_lay_questions_find_the_cramps_article_first(demo, query):
    outcome = search_articles(query)
    assert outcome.articles, f"nothing found for {query!r}"
    assert outcome.articles[0].title == CRAMPS


def test_the_search_page_lists_the_cramps_article_first(demo, client):
    html = client.get("/search/", {"q": "charley horse"}).content.decode()
    first = html.index('class="search-result"')
    assert CRAMPS in html[first : first + 600]
