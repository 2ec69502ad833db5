"""The ranking on both backends; PostgreSQL's first cut of candidates."""

import pytest
from django.db import connection

from healthpress.articles.models import ArticlePage
from healthpress.search import ranking

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the first cut is PostgreSQL's"
)


@pytest.fixture
def knees(make_article):
    pages = {
        "title": make_article("Why do my knees click?", short_answer="Gas bubbles, mostly."),
        "answer": make_article(
            "Is running bad for you?", short_answer="Not for healthy knees and hips."
        ),
        "body": make_article("What is a meniscus?", short_answer="Cartilage in a joint."),
    }
    for n in range(6):
        make_article(f"Why do my elbows ache, case {n}?", short_answer="Overuse, mostly.")
    return pages


def ranked(terms, limit=10):
    return ranking.ranked_ids(ArticlePage, terms, limit)


def test_the_question_outranks_the_short_answer(knees):
    assert ranked(["knees"])[:2] == [knees["title"].pk, knees["answer"].pk]


def test_a_rare_word_outweighs_a_common_one(knees):
    # "elbows" is in 6 questions, "meniscus" in one: the meniscus article comes first although
    # both words are in questions.
    assert ranked(["elbows", "meniscus"])[0] == knees["body"].pk


@postgres_only
def test_the_first_cut_keeps_the_best_candidates(knees, monkeypatch):
    exact = ranked(["knees", "elbows"], limit=3)
    monkeypatch.setattr(ranking, "FIRST_CUT", 1)  # the cut is never below the page asked for
    assert ranked(["knees", "elbows"], limit=3) == exact
    assert ranked(["knees", "elbows"], limit=8) == ranked(["knees", "elbows"], limit=20)[:8]


@postgres_only
def test_every_match_is_found_when_the_cut_is_the_limit(knees, monkeypatch):
    monkeypatch.setattr(ranking, "FIRST_CUT", 2)
    assert len(ranked(["knees", "elbows", "meniscus"], limit=50)) == 9


def test_no_terms_no_results(knees):
    assert ranked([]) == []
    assert ranked(["zzzzqqq"]) == []


def test_an_empty_index_finds_nothing_without_failing(db):
    assert ranked(["knees"]) == []


def test_idf_is_defined_for_any_count():
    assert ranking.idf(1, 0) == 0.1
    assert ranking.idf(1, 1000) > ranking.idf(100, 1000) > 0.1
