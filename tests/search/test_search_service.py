import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from healthpress.search.models import SearchLog, Synonym
from healthpress.search.service import search_articles, suggested_articles


def titles(outcome):
    return [a.title for a in outcome.articles]


@pytest.fixture
def articles(make_article):
    return {
        "cramps": make_article(
            "Why do my legs cramp at night?",
            short_answer="Cramping calf muscles are usually tired muscles.",
        ),
        "headache": make_article(
            "Why do I get headaches in the afternoon?",
            short_answer="Often dehydration or skipped meals.",
        ),
        "ankles": make_article(
            "Why are my ankles swollen?", short_answer="Fluid collects when you sit for long."
        ),
    }


def test_a_lay_question_finds_the_article_although_not_every_word_matches(articles):
    outcome = search_articles("why do my calves cramp so badly when I am asleep at night")
    assert titles(outcome)[0] == "Why do my legs cramp at night?"


def test_stemming_matches_other_forms_of_a_word(articles):
    assert titles(search_articles("cramps"))[0] == "Why do my legs cramp at night?"
    assert titles(search_articles("headache"))[0] == "Why do I get headaches in the afternoon?"


def test_the_question_outranks_a_mention_in_the_answer(make_article, articles):
    make_article("Is dehydration dangerous?", short_answer="Rarely, for healthy adults.")
    outcome = search_articles("dehydration")
    assert titles(outcome)[:2] == [
        "Is dehydration dangerous?",
        "Why do I get headaches in the afternoon?",
    ]


def test_drafts_are_never_found(make_article, articles):
    make_article("Is sunburn a burn?", short_answer="Yes, a radiation burn.", publish=False)
    assert search_articles("sunburn").total == 0


def test_synonyms_from_the_admin_widen_the_search(articles):
    Synonym.objects.all().delete()  # the starter groups include this one
    assert search_articles("charley horse").total == 0
    Synonym.objects.create(terms="cramp, spasm, Charley Horse")
    assert titles(search_articles("charley horse"))[0] == "Why do my legs cramp at night?"


def test_every_search_is_logged_without_personal_data(articles):
    search_articles("swollen ankles")
    search_articles("zzzz unknown")
    found, missed = SearchLog.objects.order_by("searched_at", "pk")
    assert (found.query, found.result_count) == ("swollen ankles", 1)
    assert (missed.query, missed.result_count) == ("zzzz unknown", 0)
    assert found.took_ms >= 0


def test_starter_synonyms_are_installed(db):
    assert "charley horse" in [t for s in Synonym.objects.all() for t in s.term_list()]
    field_names = {f.name for f in SearchLog._meta.get_fields()}
    assert field_names == {"id", "query", "result_count", "took_ms", "searched_at"}


def test_empty_queries_are_not_logged(articles):
    search_articles("   ")
    assert not SearchLog.objects.exists()


def test_no_results_report_counts_queries_that_found_nothing(articles):
    for q in ["zzzz", "zzzz", "qqqq", "swollen ankles"]:
        search_articles(q)
    rows = list(SearchLog.objects.without_results().frequent())
    assert [(r["query"], r["searches"]) for r in rows] == [("zzzz", 2), ("qqqq", 1)]


def test_pages_of_results_do_not_overlap(make_article):
    for n in range(12):
        make_article(f"Question {n} about knees?", short_answer="Knees.")
    first = search_articles("knees", offset=0, limit=10)
    second = search_articles("knees", offset=10, limit=10)
    assert first.total == second.total == 12
    assert len(second.articles) == 2
    assert not {a.pk for a in first.articles} & {a.pk for a in second.articles}


def test_suggestions_prefer_promoted_articles(articles):
    query = Query.get("legs")
    SearchPromotion.objects.create(query=query, page=articles["ankles"], sort_order=0)
    assert suggested_articles()[0] == articles["ankles"]
