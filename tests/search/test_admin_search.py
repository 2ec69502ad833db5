"""The admin's search (search/admin_backend.py): on SQLite Wagtail's results in Wagtail's order,
ranked in one pass instead of one FTS5 match per result (search/sqlite_one_pass.py); on both
databases an answer to any query."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from modelsearch.query import Not, PlainText
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from healthpress.articles.bulk_import import BulkArticle, import_articles_in_bulk
from tests.at_size import add_articles, queries
from tests.conftest import make_article_content

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL keeps Wagtail's own backend"
)

# Scores that differ (a word twice, titles of other lengths, "diabetic" for the prefix) and tie
# (same length, same words but the number): a tie is ordered by -pk, as Wagtail orders it.
# A word in fewer than half the titles, so that FTS5's bm25 gives it a weight.
TITLES = (
    [f"Diabetes and sleep note {n}" for n in range(6)]
    + [f"Diabetes diabetes diet {n}" for n in range(2)]
    + [f"Living with diabetes, heart disease and kidney trouble, part {n}" for n in range(2)]
    + [f"Diabetic foot care {n}" for n in range(2)]
    + [f"Heart health and diabetes {n}" for n in range(2)]
    + [f"Knee pain after running {n}" for n in range(16)]
)
QUERIES = ["diabetes", "diab", "heart diabetes", "zebra", "pain"]


@pytest.fixture
def articles(topic, author):
    items = [BulkArticle(make_article_content(t, 1), author=author) for t in TITLES]
    return import_articles_in_bulk(items, topic, publish=True).created


# Imported when used: modelsearch's SQLite module cannot be imported on PostgreSQL.
def wagtails():
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    return SQLiteSearchBackend({})


def ours():
    from healthpress.search.sqlite_one_pass import OnePassRankingSQLiteBackend

    return OnePassRankingSQLiteBackend({})


def ids(results):
    return [page.pk for page in results]


@sqlite_only
def test_the_admin_searches_with_the_one_pass_backend_on_sqlite(db):
    assert type(get_search_backend()) is type(ours())


@sqlite_only
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("method", ["autocomplete", "search"])
def test_the_same_pages_in_the_same_order_as_wagtails_backend(articles, query, method):
    pages = Page.objects.all()
    theirs = getattr(wagtails(), method)(query, pages)
    mine = getattr(ours(), method)(query, pages)
    assert mine.count() == theirs.count()
    for page in (slice(0, 5), slice(5, 10), slice(10, 40)):
        assert ids(mine[page]) == ids(theirs[page]), page
    assert [p._score for p in mine[:10]] == [p._score for p in theirs[:10]]


@sqlite_only
def test_the_test_titles_give_scores_that_differ_and_tie(articles):
    scores = [p._score for p in wagtails().autocomplete("diabetes", Page.objects.all())[:30]]
    assert len(set(scores)) >= 3
    assert len(scores) - len(set(scores)) >= 5
    assert scores == sorted(scores)  # so a reversed ranking would differ


@sqlite_only
def test_a_named_score_field_and_a_filtered_queryset(articles):
    pages = Page.objects.filter(pk__in=articles[::2])
    theirs = wagtails().autocomplete("diabetes", pages).annotate_score("relevance")
    mine = ours().autocomplete("diabetes", pages).annotate_score("relevance")
    assert [(p.pk, p.relevance) for p in mine[:20]] == [(p.pk, p.relevance) for p in theirs[:20]]


@sqlite_only
@pytest.mark.parametrize(
    "query, options",
    [
        ("diabetes", {"order_by_relevance": False}),
        (Not(PlainText("diabetes")), {}),
        (PlainText("diabetes") & Not(PlainText("sleep")), {}),
    ],
    ids=["unordered", "negated", "and-not"],
)
def test_what_it_does_not_rank_is_wagtails(articles, query, options):
    pages = Page.objects.all()
    theirs = wagtails().search(query, pages, **options)
    mine = ours().search(query, pages, **options)
    assert ids(mine[:50]) == ids(theirs[:50])
    assert mine.count() == theirs.count()


@sqlite_only
def test_facets_are_wagtails(articles):
    pages = Page.objects.all()
    facet = ours().autocomplete("diabetes", pages).facet("content_type_id")
    assert facet == wagtails().autocomplete("diabetes", pages).facet("content_type_id")


def admin_search_ids(client, query, settings, backend):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": backend}}
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200
    return [page.pk for page in response.context["object_list"]]


@sqlite_only
@pytest.mark.parametrize("query", ["diabetes", "heart diab"])
def test_the_admin_search_view_lists_what_wagtail_lists(admin_client, articles, settings, query):
    mine = admin_search_ids(admin_client, query, settings, "healthpress.search.admin_backend")
    theirs = admin_search_ids(admin_client, query, settings, "wagtail.search.backends.database")
    assert mine and mine == theirs


@pytest.mark.parametrize(
    "query",
    [
        '"a" OR NEAR(',
        '"diabetes',
        "diab*",
        "* -",
        "-diabetes",
        "NOT diabetes AND",
        "{autocomplete}: x",
        "title:diabetes",
        # modelsearch compiles one nested expression per word: about 500 words overflowed the
        # stack. A query keeps its first 100 words (search/admin_backend.py), on both databases.
        "diabetes " * 2000,
        '"heart disease" ' * 1000,
        "diabetes OR " * 1000,
        "'; DROP TABLE wagtailcore_page; --",
        "\x00",
    ],
)
def test_hostile_queries_get_an_answer(admin_client, articles, query):
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200


@sqlite_only
def test_the_admin_search_costs_the_same_queries_for_10_and_200_articles(client, topic, author):
    client.force_login(get_user_model().objects.create_superuser("chief", password="pw-chief"))
    url = reverse("wagtailadmin_pages:search") + "?q=joint"
    add_articles(topic, 10, author=author)
    few, _ = queries(client, url)
    add_articles(topic, 190, start=10, author=author)
    many, response = queries(client, url)
    assert many == few
    assert len(response.context["object_list"]) > 10
