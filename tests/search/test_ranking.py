"""The ranking on both backends; PostgreSQL's first cut of candidates."""

import random

import pytest
from django.db import connection

from healthpress.articles.models import ArticlePage
from healthpress.search import documents, ranking

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


FILLER = " ".join(f"filler{n}" for n in range(40))  # a long body: each word in it weighs little


@pytest.fixture
def index(db):
    """Writes public documents straight (no pages: the ranking reads the index alone); they are
    removed before the test's database checks its foreign keys."""

    def write(texts):
        ids = [10_000 + n for n in range(len(texts))]
        documents.write_documents(dict(zip(ids, texts, strict=True)))
        return ids

    yield write
    documents.clear_documents()


def scored_every_match(terms, limit, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(ranking, "SCORED_ROWS", 10**9)
        return ranked(terms, limit)


@pytest.fixture
def rankings(monkeypatch):
    """The `only` argument (the rarer terms) of each ranking statement run."""
    calls = []
    name = "_sqlite_ranked" if connection.vendor == "sqlite" else "_postgres_ranked"
    real = getattr(ranking, name)

    def spy(*args, only=None):
        calls.append(only)
        return real(*args, only=only)

    monkeypatch.setattr(ranking, name, spy)
    return calls


def test_only_articles_with_a_rare_word_are_scored_when_the_bound_allows(
    index, monkeypatch, rankings
):
    ids = index(
        [(f"Meniscus tear, case {n}", "The meniscus and the knee.") for n in range(3)]
        + [(f"Sore joints, case {n}", f"{FILLER} knee") for n in range(10)]
        + [(f"Other matter {n}", FILLER) for n in range(100)]
    )
    exact = scored_every_match(["meniscus", "knee"], 2, monkeypatch)
    monkeypatch.setattr(ranking, "SCORED_ROWS", 3)
    monkeypatch.setattr(ranking, "EXACT_DEPTH", 2)
    rankings.clear()
    assert ranked(["meniscus", "knee"], limit=2) == exact
    assert set(exact) <= set(ids[:3])
    # One statement, scoring the three meniscus articles only: the most "knee" can add to an
    # article without "meniscus" is less than what the second of them scores.
    assert rankings == [["meniscus"]]


def test_every_match_is_scored_when_a_common_word_could_still_win(index, monkeypatch, rankings):
    ids = index(
        [("Knee knee", "Knee.")]  # short, the common word three times
        + [(f"Sore joints, case {n}", f"{FILLER} knee") for n in range(5)]
        + [(f"Other matter {n}", FILLER) for n in range(60)]
        + [(f"Rare case {n}", f"{FILLER} zygote") for n in range(2)]  # the rare word, weakly
    )
    monkeypatch.setattr(ranking, "SCORED_ROWS", 2)
    monkeypatch.setattr(ranking, "EXACT_DEPTH", 2)
    rankings.clear()
    found = ranked(["zygote", "knee"], limit=2)
    # The zygote articles do not score above what "knee" alone can give: every match is scored,
    # and the short knee article (no zygote) comes first, as without the bound.
    assert rankings == [["zygote"], None]
    assert found[0] == ids[0]
    assert found == scored_every_match(["zygote", "knee"], 2, monkeypatch)


def test_the_first_places_are_those_of_scoring_every_match(index, monkeypatch, rankings):
    rng = random.Random(25)
    rare = [f"rare{n}" for n in range(6)]  # each in a few questions
    common = [f"common{n}" for n in range(4)]  # each in about one article in eight
    texts = []
    for _ in range(200):
        title = [w for w in rare if rng.random() < 0.03] + [
            w for w in common if rng.random() < 0.02
        ]
        body = [w for w in rare if rng.random() < 0.02] + [w for w in common if rng.random() < 0.1]
        body = [w for w in body for _ in range(rng.randint(1, 3))]
        filler = FILLER[: rng.randint(0, len(FILLER))]
        texts.append((" ".join(title) or "nothing", " ".join(body) + " " + filler))
    index(texts)
    vocabulary = rare + common
    queries = [rng.sample(vocabulary, rng.randint(2, 5)) for _ in range(60)]
    monkeypatch.setattr(ranking, "FIRST_CUT", 10**6)  # PostgreSQL's cut: every candidate
    exact = [scored_every_match(terms, 5, monkeypatch) for terms in queries]
    monkeypatch.setattr(ranking, "SCORED_ROWS", 8)
    monkeypatch.setattr(ranking, "EXACT_DEPTH", 5)
    found, ways = [], []
    for terms in queries:
        rankings.clear()
        found.append(ranked(terms, 5))
        ways.append(tuple(only is not None for only in rankings))
    assert found == exact
    # Every way was taken: the rarer words' articles alone (True,); those first, then every
    # match (True, False); on SQLite also those first, then a wider pool of rarer words that the
    # first 20th score proved enough (True, True).
    assert ways.count((True,)) >= 10 and ways.count((True, False)) >= 3
    if connection.vendor == "sqlite":
        assert ways.count((True, True)) >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ts_rank is PostgreSQL's")
def test_ts_rank_of_one_word_stays_below_the_bound(index):
    index([(" ".join(["knee"] * 50), " ".join(["knee"] * 2000))])
    title, body = ranking._vectors()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ts_rank({title}, q), ts_rank({body}, q) FROM "
            f"{documents.PublicDocument._meta.db_table}, to_tsquery('english', 'knee') q"
        )
        ranks = cursor.fetchone()
    assert 0.09 < max(ranks) < ranking.TS_RANK_MAX
