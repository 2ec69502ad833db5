"""The `public` search backend: its own index of live, public articles, searched through
Wagtail's API; Wagtail's `default` backend keeps finding drafts for the admin."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.db import connection
from wagtail.models import PageViewRestriction

from healthpress.articles.models import ArticlePage
from healthpress.questions.matching import matching_articles
from healthpress.search import ranking
from healthpress.search.checks import check_search_index
from healthpress.search.counts import document_counts
from healthpress.search.models import PublicDocument


def statistics(term):
    """(documents containing `term`, documents in all), as the ranking's idf sees them.
    PostgreSQL counts a word found in no body as 1 (ranking.py): rare, never absent."""
    frequencies = (
        ranking._sqlite_frequencies
        if connection.vendor == "sqlite"
        else ranking._postgres_frequencies
    )
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    counts, total = document_counts(content_type, [term], frequencies)
    return counts[0], total


def ranked(term):
    return ranking.ranked_ids(ArticlePage, [term], 10)


def public_search(text, queryset=None):
    queryset = ArticlePage.objects.live().public() if queryset is None else queryset
    return list(queryset.search(text, backend="public"))


@pytest.fixture
def sunburn(make_article):
    return make_article("Is sunburn a burn?", short_answer="Yes, a radiation burn from sunlight.")


def test_a_drafts_words_are_not_indexed_but_the_admin_still_finds_it(sunburn, make_article):
    draft = make_article(
        "Can sunburn blister?", short_answer="Sunburn blisters are a burn.", publish=False
    )
    assert set(PublicDocument.objects.values_list("article_id", flat=True)) == {sunburn.pk}
    assert statistics("sunburn") == (1, 1)
    assert ranked("blister") == []
    assert public_search("sunburn blisters") == [sunburn]
    # Wagtail's own backend, which the admin searches, indexes the draft.
    assert draft in list(ArticlePage.objects.search("blisters"))


def test_unpublished_changes_to_a_live_article_are_not_indexed(sunburn):
    sunburn.short_answer = "Zebras get sunburn too."
    sunburn.save_revision()  # a draft of the live article, not published
    document = PublicDocument.objects.get()
    assert "Zebras" not in document.body and "radiation" in document.body
    assert ranked("zebra") == []
    assert public_search("zebras") == []
    sunburn.get_latest_revision().publish()
    assert "Zebras" in PublicDocument.objects.get().body
    assert public_search("zebras") == [sunburn]


def test_a_private_article_leaves_the_index_and_comes_back(
    sunburn, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=topic, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
        )
    assert not PublicDocument.objects.exists()
    assert statistics("sunburn")[1] == 0
    assert ranked("sunburn") == []
    assert public_search("sunburn", ArticlePage.objects.live()) == []
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert PublicDocument.objects.get().article_id == sunburn.pk
    assert public_search("sunburn") == [sunburn]


def test_the_queryset_searched_decides_what_is_returned(sunburn, make_article):
    other = make_article("Does sunburn peel?", short_answer="Sunburn peels after days.")
    assert set(public_search("sunburn")) == {sunburn, other}
    assert public_search("sunburn", ArticlePage.objects.filter(pk=other.pk)) == [other]
    results = ArticlePage.objects.live().search("sunburn", backend="public")
    assert results.count() == 2 and len(results[1:]) == 1


def test_ask_matches_against_the_public_index(sunburn, make_article):
    make_article(
        "Is a sunburn blister serious?", short_answer="Blisters mean a deeper burn.", publish=False
    )
    assert matching_articles("I have a sunburn, is it a burn?") == [sunburn]


def warnings():
    found = check_search_index(databases=["default"])
    return [w.id for w in found]


def test_the_check_is_quiet_when_the_index_is_as_expected(sunburn):
    assert warnings() == []


def test_the_check_says_when_the_index_is_empty_while_articles_are_public(sunburn):
    PublicDocument.objects.all().delete()
    assert warnings() == ["search.W003"]
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    assert "search.W003" in [w.id for w in found]  # registered with Django's checks


def test_the_check_says_when_the_index_disagrees_with_the_articles(sunburn, make_article):
    other = make_article("Does sunburn peel?", short_answer="Sunburn peels after days.")
    PublicDocument.objects.filter(article_id=other.pk).delete()
    assert warnings() == ["search.W003"]


def test_the_check_says_when_wagtails_search_table_was_altered(sunburn):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER not_wagtails AFTER INSERT ON wagtailsearch_indexentry "
                "BEGIN SELECT 1; END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION not_wagtails() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RETURN NULL; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER not_wagtails AFTER INSERT ON wagtailsearch_indexentry "
                "FOR EACH STATEMENT EXECUTE FUNCTION not_wagtails()"
            )
    assert warnings() == ["search.W004"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_check_says_when_the_fts_table_is_missing(sunburn):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {PublicDocument.fts_table()}")
    assert warnings()[0] == "search.W002"
