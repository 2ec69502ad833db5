"""Document counts per term are counted once per change of the public index, never used stale."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from healthpress.articles.models import ArticlePage
from healthpress.search import ranking
from healthpress.search.counts import ALL_DOCUMENTS, document_counts
from healthpress.search.models import DocumentCount, IndexGeneration, PublicDocument
from healthpress.search.service import search_articles


def generation():
    return IndexGeneration.objects.get(pk=1).generation


def frequencies():
    return (
        ranking._sqlite_frequencies
        if connection.vendor == "sqlite"
        else (ranking._postgres_frequencies)
    )


def counts(terms):
    content_type = ContentType.objects.get_for_model(ArticlePage)
    return document_counts(content_type.pk, terms, frequencies())


def stored(term):
    return DocumentCount.objects.filter(term=term).values_list("documents", "generation").get()


@pytest.fixture
def cramps(make_article):
    return make_article("Why do my legs cramp at night?", short_answer="A cramp is a spasm.")


def test_a_search_stores_its_terms_counts_at_the_current_generation(cramps):
    search_articles("legs cramp")
    assert stored("cramp") == (1, generation())
    assert DocumentCount.objects.filter(term=ALL_DOCUMENTS).exists()


def test_stored_counts_are_used_while_the_index_is_unchanged(cramps):
    counts(["cramp"])
    # A count stored at the current generation is read back, not counted again.
    DocumentCount.objects.filter(term="cramp").update(documents=7)
    assert counts(["cramp"])[0] == [7]


def test_publishing_an_article_makes_the_stored_counts_stale(cramps, make_article):
    assert counts(["cramp"])[0] == [1]
    before = generation()
    make_article("Are night cramps dangerous?", short_answer="A cramp is rarely serious.")
    assert generation() > before
    assert counts(["cramp"])[0] == [2]
    assert stored("cramp") == (2, generation())


def test_unpublishing_and_deleting_an_article_make_the_stored_counts_stale(cramps, make_article):
    other = make_article("Are night cramps dangerous?", short_answer="A cramp is rarely serious.")
    assert counts(["cramp"])[0] == [2]
    before = generation()
    other.unpublish()
    assert generation() > before
    # Wagtail's own index keeps the draft (the admin finds it); the public index does not.
    assert counts(["cramp"])[0] == [1]
    other.save_revision().publish()
    assert counts(["cramp"])[0] == [2]
    before = generation()
    other.delete()
    assert generation() > before
    assert counts(["cramp"])[0] == [1]


def test_a_stale_count_is_never_used(cramps):
    counts(["cramp"])
    DocumentCount.objects.filter(term="cramp").update(documents=7, generation=generation() - 1)
    assert counts(["cramp"])[0] == [1]


def test_rebuilding_the_index_fills_it_and_makes_counts_stale(cramps):
    counts(["cramp"])
    PublicDocument.objects.all().delete()  # e.g. a site upgraded before its first rebuild
    before = generation()
    call_command("update_index", backend_name="public", verbosity=0)
    assert generation() > before
    assert counts(["cramp"])[0] == [1]
    assert PublicDocument.objects.get().article_id == cramps.pk


def test_rebuilding_an_unchanged_index_keeps_the_counts(cramps):
    counts(["cramp"])
    before = generation()
    call_command("update_index", backend_name="public", verbosity=0)
    assert generation() == before
    assert stored("cramp") == (1, before)


def test_fresh_counts_replace_those_of_older_generations(cramps, make_article):
    counts(["cramp", "legs"])
    make_article("Is a spasm a cramp?", short_answer="Often.")
    counts(["cramp"])
    assert set(DocumentCount.objects.values_list("generation", flat=True)) == {generation()}
    assert not DocumentCount.objects.filter(term="legs").exists()


def test_repeated_terms_are_counted_once_and_returned_in_order(cramps):
    found, total = counts(["night", "cramp", "night"])
    assert found[1] == 1 and found[0] == found[2]
    assert total >= 1
