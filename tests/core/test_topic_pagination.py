"""Topic and author listings answer 200 only to page numbers our links write
(core/canonical_params.py): `?page=1` redirects to the bare URL, anything else that is not an
existing page is a 404, so the page cache never keeps a page under a made-up number."""

import pytest
from django.conf import settings

from healthpress.articles.content import save_article
from healthpress.core.site import get_or_create_topic
from healthpress.people.models import Person
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db

HOSTILE = [
    "page=abc",
    "page=0",
    "page=-1",
    "page=01",
    "page=+2",
    "page=2.0",
    "page=%202",
    "page=%EF%BC%92",  # a full-width 2: int() reads it
    "page=",
    "page",
    "page=4",  # past the last page
    "page=999",
    "page=99999999999999999999",
    "page=" + "9" * 5000,
    "page=1%00",
    "page=2&page=3",
    "page=2&page=2",
    "page=1&page=1",
    "page=%3Cscript%3E",
]


@pytest.fixture(scope="module")
def five_articles(module_transaction):
    """Five articles by one author in one topic, made once for the module's 50-odd tests (their
    own topic and author: the empty-listing test makes the shared fixtures' ones)."""
    with module_transaction():
        topic = get_or_create_topic("Listed questions")[0]
        author = Person.objects.create(name="Lee Lister", credentials="MD")
        for n in range(5):
            save_article(
                make_article_content(f"Question {n}?"), topic=topic, author=author, publish=True
            )
        return {"topic": topic.url, "author": author.get_absolute_url()}


@pytest.fixture
def listings(settings, five_articles):
    """Two per page: three pages each."""
    settings.ARTICLES_PER_PAGE = 2
    return five_articles


@pytest.mark.parametrize("listing", ["topic", "author"])
@pytest.mark.parametrize("query", ["", "page=2", "page=3", "utm_source=mail&page=2"])
def test_existing_pages_answer_200(client, listings, listing, query):
    url = listings[listing] + (f"?{query}" if query else "")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("listing", ["topic", "author"])
def test_pages_show_their_own_articles(client, listings, listing):
    first = client.get(listings[listing]).content.decode()
    last = client.get(listings[listing] + "?page=3").content.decode()
    assert first.count('class="card"') == 2 and last.count('class="card"') == 1


@pytest.mark.parametrize("listing", ["topic", "author"])
@pytest.mark.parametrize(
    "query, target", [("page=1", ""), ("utm_source=mail&page=1", "?utm_source=mail")]
)
def test_page_one_redirects_permanently_to_the_bare_url(client, listings, listing, query, target):
    response = client.get(f"{listings[listing]}?{query}")
    assert response.status_code == 301
    assert response["Location"] == listings[listing] + target


@pytest.mark.parametrize("listing", ["topic", "author"])
@pytest.mark.parametrize("query", HOSTILE)
def test_anything_else_is_a_404(client, listings, listing, query):
    assert client.get(f"{listings[listing]}?{query}").status_code == 404


def test_an_empty_listing_has_only_its_first_page(client, topic, author):
    for url in (topic.url, author.get_absolute_url()):
        assert client.get(url).status_code == 200
        assert client.get(url + "?page=2").status_code == 404


def test_comment_parameters_are_a_404_where_there_is_no_comment_block(client, listings, home):
    kept = set(settings.PAGE_CACHE_QUERY_PARAMS) - {"page"}
    assert kept
    for url in [*listings.values(), home.url, "/authors/"]:
        for name in kept:
            assert client.get(f"{url}?{name}=2").status_code == 404, (url, name)


def test_pages_without_a_listing_refuse_a_page_number(client, listings, home):
    for url in (home.url, "/authors/"):
        assert client.get(url).status_code == 200
        assert client.get(f"{url}?page=2").status_code == 404, url
