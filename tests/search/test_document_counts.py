"""Document counts per term are kept and reused while the documents changed since they were
counted are at most counts.MAX_DRIFT of them (issue 27), and counted again past that."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from healthpress.articles.models import ArticlePage
from healthpress.search import ranking
from healthpress.search.counts import (
    ALL_DOCUMENTS,
    DRIFT_DIVISOR,
    document_counts,
    forget,
    reusable,
)
from healthpress.search.documents import write_documents
from healthpress.search.embeddings import raise_generation
from healthpress.search.models import DocumentCount, IndexGeneration, PublicDocument
from healthpress.search.service import search_articles


def changed():
    return IndexGeneration.objects.get(pk=1).changed_documents


def frequencies():
    return (
        ranking._sqlite_frequencies
        if connection.vendor == "sqlite"
        else ranking._postgres_frequencies
    )


class Spy:
    """The counting function, recording which terms it was asked to count."""

    def __init__(self):
        self.calls = []

    def __call__(self, content_type_id, terms, with_total=True):
        self.calls.append((list(terms), with_total))
        return frequencies()(content_type_id, terms, with_total)

    def counted(self):
        return [term for terms, _ in self.calls for term in terms]


def counts(terms, count=None):
    content_type = ContentType.objects.get_for_model(ArticlePage)
    return document_counts(content_type.pk, terms, count or frequencies())


def stored(term):
    return (
        DocumentCount.objects.filter(term=term).values_list("documents", "changed_documents").get()
    )


def pretend_common(term, documents):
    """Make a stored count look like a common word's (documents of it), counted now."""
    DocumentCount.objects.filter(term=term).update(documents=documents, changed_documents=changed())


@pytest.fixture
def cramps(make_article):
    return make_article("Why do my legs cramp at night?", short_answer="A cramp is a spasm.")


def test_a_search_stores_its_terms_counts_at_the_current_change(cramps):
    search_articles("legs cramp")
    assert stored("cramp") == (1, changed())
    assert DocumentCount.objects.filter(term=ALL_DOCUMENTS).exists()


def test_stored_counts_are_used_while_the_index_is_unchanged(cramps):
    counts(["cramp"])
    DocumentCount.objects.filter(term="cramp").update(documents=7)
    spy = Spy()
    assert counts(["cramp"], spy)[0] == [7]
    assert spy.calls == []


def test_each_document_written_or_removed_raises_the_change_counter(cramps, make_article):
    before = changed()
    other = make_article("Are night cramps dangerous?", short_answer="A cramp is rarely serious.")
    assert changed() == before + 1
    other.unpublish()
    assert changed() == before + 2
    write_documents({cramps.pk: ("Why?", "cramp"), other.pk: ("Why not?", "cramp")})
    assert changed() == before + 4  # a bulk write raises it by its size


def test_an_embedding_change_leaves_the_counts_usable(cramps):
    counts(["cramp"])
    before = changed()
    raise_generation()  # as every embedding write does: the words did not change
    assert changed() == before
    spy = Spy()
    assert counts(["cramp"], spy)[0] == [1]
    assert spy.calls == []


def test_after_one_more_article_a_common_count_is_reused_and_a_rare_one_counted(
    cramps, make_article
):
    counts(["cramp", "spasm"])
    pretend_common("cramp", 100)  # 100 documents: one change is within 1 % of it
    make_article("Why do legs cramp at night in athletes?", short_answer="A spasm again.")
    spy = Spy()
    found, total = counts(["cramp", "spasm"], spy)
    assert found == [100, 2]  # cramp's count reused; spasm's (1) counted again
    assert spy.counted() == ["spasm"]
    assert total == 2  # the number of documents is 1 before: counted again too
    assert stored("spasm") == (2, changed())


def test_after_many_changes_a_common_count_is_counted_again(cramps, make_article):
    counts(["cramp"])
    pretend_common("cramp", 100)
    make_article("Are night cramps dangerous?", short_answer="A cramp is rarely serious.")
    assert counts(["cramp"])[0] == [100]
    # Past 1 % of 100: one more change than the count allows.
    IndexGeneration.advance(100 // DRIFT_DIVISOR)
    spy = Spy()
    assert counts(["cramp"], spy)[0] == [2]
    assert spy.counted() == ["cramp"]


def test_the_number_of_documents_follows_the_same_rule(cramps):
    counts(["cramp"])
    DocumentCount.objects.filter(term=ALL_DOCUMENTS).update(documents=300)
    IndexGeneration.advance(3)
    spy = Spy()
    assert counts(["cramp"], spy)[1] == 300
    assert spy.calls == [(["cramp"], False)]  # cramp (1) counted again, the total not
    IndexGeneration.advance(1)
    assert counts(["cramp"], spy)[1] == 1
    assert spy.calls[-1][1] is True


def test_a_stale_count_is_never_used(cramps):
    counts(["cramp"])
    DocumentCount.objects.filter(term="cramp").update(documents=7, changed_documents=changed() - 1)
    assert counts(["cramp"])[0] == [1]


def test_the_rule(cramps):
    assert reusable(100, 1) and not reusable(100, 2)
    assert reusable(0, 0) and not reusable(0, 1)
    assert reusable(5_000, 50) and not reusable(5_000, 51)


def test_unpublishing_and_deleting_an_article_are_counted(cramps, make_article):
    other = make_article("Are night cramps dangerous?", short_answer="A cramp is rarely serious.")
    assert counts(["cramp"])[0] == [2]
    other.unpublish()
    # Wagtail's own index keeps the draft (the admin finds it); the public index does not.
    assert counts(["cramp"])[0] == [1]
    other.save_revision().publish()
    assert counts(["cramp"])[0] == [2]
    before = changed()
    other.delete()
    assert changed() > before
    assert counts(["cramp"])[0] == [1]


def test_rebuilding_the_index_fills_it_and_counts_again(cramps):
    counts(["cramp"])
    PublicDocument.objects.all().delete()  # e.g. a site upgraded before its first rebuild
    before = changed()
    call_command("update_index", backend_name="public", verbosity=0)
    assert changed() > before
    assert counts(["cramp"])[0] == [1]
    assert PublicDocument.objects.get().article_id == cramps.pk


def test_rebuilding_an_unchanged_index_keeps_the_counts(cramps):
    counts(["cramp"])
    before = changed()
    call_command("update_index", backend_name="public", verbosity=0)
    assert changed() == before
    assert stored("cramp") == (1, before)


def test_storing_drops_the_counts_that_can_no_longer_be_used(cramps, make_article):
    counts(["cramp", "legs", "night"])
    pretend_common("night", 100)
    make_article("Is a spasm a cramp?", short_answer="Often.")
    counts(["cramp"])
    # legs (1 document) can never be reused after a change; night (100) still can.
    assert set(DocumentCount.objects.values_list("term", flat=True)) == {
        "cramp",
        "night",
        ALL_DOCUMENTS,
    }


def test_forget_drops_every_count_reusable_or_not(cramps):
    counts(["cramp", "spasm"])
    pretend_common("cramp", 10_000)
    assert forget() == 3
    assert not DocumentCount.objects.exists()


def test_repeated_terms_are_counted_once_and_returned_in_order(cramps):
    found, total = counts(["night", "cramp", "night"])
    assert found[1] == 1 and found[0] == found[2]
    assert total >= 1
