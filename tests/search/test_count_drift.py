"""Counts reused within counts.MAX_DRIFT keep the ranking's guarantees (issue 27): the SQLite
bound still covers FTS5's own scores, and the first EXACT_DEPTH results are those of fresh
counts."""

import random

import pytest
from django.db import connection

from healthpress.articles.models import ArticlePage
from healthpress.search import ranking
from healthpress.search.counts import DRIFT_DIVISOR, forget
from healthpress.search.documents import write_documents
from healthpress.search.models import DocumentCount, IndexGeneration, PublicDocument


def truths(count, total):
    """Every (true count, true total) a stored (count, total) reused by counts.py may stand
    for: each off by at most 1/DRIFT_DIVISOR of itself."""
    for n in (count - count // DRIFT_DIVISOR, count, count + count // DRIFT_DIVISOR):
        for big_n in (total - total // DRIFT_DIVISOR, total, total + total // DRIFT_DIVISOR):
            yield n, big_n


@pytest.mark.parametrize("total", [50, 1_000, 100_000, 1_000_000])
def test_the_sqlite_bound_covers_fts5s_idf_of_any_count_within_the_drift(total):
    for count in sorted({1, 2, 99, 100, 101, *range(0, total + 1, max(1, total // 997))}):
        for true_count, true_total in truths(count, total):
            assert ranking._fts5_idf_most(count, total) >= ranking._fts5_idf(true_count, true_total)


def test_the_margin_alone_would_not_cover_the_drift():
    # Why the bound widens the counts rather than trusting BOUND_MARGIN: near half of all
    # documents a word's idf is near 0, and a 1 % drift of its count changes it many times over.
    total, count = 100_000, 49_000
    drifted = count + count // DRIFT_DIVISOR
    assert (
        ranking._fts5_idf(count, total) > ranking._fts5_idf(drifted, total) * ranking.BOUND_MARGIN
    )
    assert ranking._fts5_idf_most(drifted, total) >= ranking._fts5_idf(count, total)


WORDS = {  # word: share of documents holding it
    "health": 0.6,
    "pain": 0.14,
    "fever": 0.12,
    "cough": 0.1,
    "rash": 0.05,
    "itch": 0.03,
    "cramp": 0.02,
}
FIRST_ID = 900_000  # documents without pages: removed before the test's FK check


def document(rng, n):
    words = [w for w, share in WORDS.items() if rng.random() < share]
    body = " ".join(rng.choice(words or ["note"]) for _ in range(rng.randint(3, 40)))
    title = " ".join(words[: rng.randint(0, 2)]) or "note"
    return f"{title} {n}", body


@pytest.fixture
def corpus(db):
    rng = random.Random(27)
    write_documents({FIRST_ID + n: document(rng, n) for n in range(1_000)})
    yield rng
    PublicDocument.objects.filter(article_id__gte=FIRST_ID).delete()


@pytest.mark.parametrize(
    "terms",
    [
        ["pain", "fever", "cramp", "itch"],
        ["cough", "rash", "itch", "pain", "health"],
        ["health", "pain", "fever", "cough"],
    ],
)
def test_ranking_with_reused_counts_is_that_of_fresh_counts(corpus, monkeypatch, terms):
    # Small enough that the bound decides (SCORED_ROWS), here on a thousand documents.
    monkeypatch.setattr(ranking, "SCORED_ROWS", 60)
    ranking.ranked_ids(ArticlePage, terms, 50)  # stores the counts
    # One document rewritten: the counts of the words in over 100 documents are reused.
    write_documents({FIRST_ID + 7: document(corpus, 7)})
    now = IndexGeneration.objects.get(pk=1).changed_documents
    reused = ranking.ranked_ids(ArticlePage, terms, 50)[: ranking.EXACT_DEPTH]
    assert DocumentCount.objects.filter(term="pain", changed_documents__lt=now).exists()
    forget()
    fresh = ranking.ranked_ids(ArticlePage, terms, 50)[: ranking.EXACT_DEPTH]
    assert len(fresh) == ranking.EXACT_DEPTH
    if connection.vendor == "sqlite":
        # FTS5 scores with its own statistics and the bound allows for the drift: exact.
        assert reused == fresh
    else:
        # PostgreSQL weighs each word by our counts' idf: a drift of a count moves every score
        # by less than it moves the idf (1 % of a count, 1.4 % of an idf below 15 % of the
        # documents), so articles within that of each other may swap. Each place holds an
        # article scoring, by fresh counts, within 3 % of the best for that place.
        scores = fresh_scores(terms)
        assert set(reused) == set(fresh)
        for place, pk in enumerate(reused):
            assert scores[pk] >= scores[fresh[place]] * 0.97


def fresh_scores(terms):
    from django.contrib.contenttypes.models import ContentType

    from healthpress.search.counts import document_counts

    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    counts, total = document_counts(content_type, terms, ranking._postgres_frequencies)
    return dict(ranking._postgres_ranked(terms, 200, counts, total))


def test_the_bound_decides_in_the_small_case(corpus, monkeypatch):
    # The case above goes through the bound, not around it.
    monkeypatch.setattr(ranking, "SCORED_ROWS", 60)
    calls = []
    ranked = ranking._sqlite_ranked if connection.vendor == "sqlite" else ranking._postgres_ranked
    name = ranked.__name__

    def spy(*args, **kwargs):
        calls.append(kwargs.get("only"))
        return ranked(*args, **kwargs)

    monkeypatch.setattr(ranking, name, spy)
    ranking.ranked_ids(ArticlePage, ["pain", "fever", "cramp", "itch"], 50)
    assert calls[0] is not None
