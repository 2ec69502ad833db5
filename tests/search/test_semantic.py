"""Hybrid search (word meaning beside BM25): embeddings kept with the index, the model loaded
offline, and the ranking unchanged while SEARCH_SEMANTIC is off (docs/search.md)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import PageViewRestriction

from healthpress.articles.content import bulk_import
from healthpress.articles.models import ArticlePage
from healthpress.search import hybrid, semantic
from healthpress.search.embeddings import update_embeddings
from healthpress.search.models import ArticleEmbedding
from healthpress.search.ranking import ranked_ids
from healthpress.search.service import (
    SearchOptions,
    article_queryset,
    query_terms,
    search_articles,
)

ROOT = Path(__file__).resolve().parents[2]
BLOATING = "Why do I feel bloated after meals?"
SHIN_SPLINTS = "Are shin splints a reason to stop running?"
ANKLES = "Why do my ankles swell at the end of the day?"


@pytest.fixture
def semantic_on(settings):
    settings.SEARCH_SEMANTIC = True
    hybrid.forget()  # a matrix held from another test's (rolled back) database
    yield
    hybrid.forget()


@pytest.fixture
def demo(db, committed):
    """The demo site, its embeddings written as the publish's commit would queue them."""
    with committed():
        call_command("load_demo", "--no-admin")


def titles(outcome):
    return [a.title for a in outcome.articles]


def vector_of(article):
    return semantic.from_bytes(ArticleEmbedding.objects.get(article=article).vector)


# --- the model --------------------------------------------------------------------------------


def test_the_model_loads_and_embeds_with_the_network_unreachable(tmp_path):
    """A fresh process, every socket refused and huggingface_hub's and requests' downloads
    made to fail, no HF_HUB_OFFLINE and an empty home (no cache): the model still loads from
    the installed package, and nothing is written outside it."""
    script = textwrap.dedent(
        """
        import json, socket, sys

        attempts = []

        def refuse(*args, **kwargs):
            attempts.append(repr(args)[:100])
            raise OSError("network unreachable (test)")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        import requests
        requests.get = requests.Session.request = refuse
        import huggingface_hub
        huggingface_hub.hf_hub_download = refuse

        from healthpress.search import semantic

        vectors = semantic.embed(
            ["my belly feels like a balloon", "bloating after meals", "a broken wrist"]
        )
        print(json.dumps({
            "shape": list(vectors.shape),
            "dtype": str(vectors.dtype),
            "norms": [float(n) for n in (vectors ** 2).sum(axis=1)],
            "similar": float(vectors[0] @ vectors[1]),
            "unrelated": float(vectors[0] @ vectors[2]),
            "attempts": attempts,
        }))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    env["HOME"] = str(tmp_path)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["shape"] == [3, semantic.DIMENSIONS]
    assert report["dtype"] == "float32"
    assert report["norms"] == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert report["similar"] > report["unrelated"] + 0.1
    assert list(tmp_path.iterdir()) == []  # no cache folder made in the empty home


def test_embeddings_are_unit_float32_rows_and_empty_text_is_zero():
    vectors = semantic.embed(["heartburn at night", ""])
    assert vectors.dtype == np.float32 and vectors.shape == (2, semantic.DIMENSIONS)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any()
    assert semantic.embed([]).shape == (0, semantic.DIMENSIONS)


def test_weights_held_as_shipped_give_the_same_vectors_as_wordllama_widened_to_float32():
    from wordllama import WordLlama

    texts = ["why do my legs cramp at night", "my belly feels like a balloon after dinner", ""]
    widened = WordLlama.load(
        semantic.MODEL_CONFIG,
        cache_dir=semantic.package_dir(),
        dim=semantic.DIMENSIONS,
        disable_download=True,
    )
    assert widened.embedding.dtype == np.float32
    assert semantic.model().embedding.dtype == np.float16
    assert np.array_equal(
        semantic.model().embed(texts, norm=False), widened.embed(texts, norm=False)
    )


# --- embeddings kept with the index -------------------------------------------------------------


def test_semantic_search_is_on_by_default_and_the_environment_turns_it_off(monkeypatch):
    from healthpress.settings import base
    from healthpress.settings.env import env_bool

    assert base.SEARCH_SEMANTIC is True or os.environ.get("SEARCH_SEMANTIC")
    monkeypatch.setenv("SEARCH_SEMANTIC", "false")
    assert env_bool("SEARCH_SEMANTIC", True) is False


def test_publishing_embeds_the_article(make_article, semantic_on, committed):
    with committed():
        page = make_article(short_answer="Mostly tired muscles.")
    row = ArticleEmbedding.objects.get(article=page)
    assert row.model == semantic.MODEL_NAME and row.dimensions == semantic.DIMENSIONS
    expected = semantic.embed([semantic.article_text(page)])[0]
    assert np.allclose(vector_of(page), expected)
    assert "Cause number 1" in semantic.article_text(page)  # section headings are embedded


def test_an_edit_gives_a_new_vector_and_an_unchanged_text_is_not_embedded_again(
    make_article, semantic_on, committed
):
    with committed():
        page = make_article(short_answer="Mostly tired muscles.")
    before = ArticleEmbedding.objects.get(article=page)
    assert update_embeddings([page.pk]) == 0  # same text: skipped
    with committed():
        make_article(short_answer="Low magnesium and dehydration, say some doctors.")
    after = ArticleEmbedding.objects.get(article=page)
    assert after.text_hash != before.text_hash
    assert not np.allclose(vector_of(page), semantic.from_bytes(before.vector))


def test_unpublishing_or_deleting_removes_the_embedding(make_article, semantic_on, committed):
    with committed():
        first = make_article("Why do my legs cramp at night?")
        second = make_article("Why do my feet hurt?")
    assert ArticleEmbedding.objects.count() == 2
    first.unpublish()
    assert not ArticleEmbedding.objects.filter(article_id=first.pk).exists()
    second.delete()
    assert not ArticleEmbedding.objects.exists()


def test_drafts_are_not_embedded(make_article, semantic_on, committed):
    with committed():
        make_article(publish=False)
    assert not ArticleEmbedding.objects.exists()


def test_nothing_is_embedded_while_semantic_search_is_off(make_article, committed):
    with committed():
        make_article()
    assert not ArticleEmbedding.objects.exists()


def test_a_bulk_import_queues_its_embeddings_once_at_the_end(
    make_article, semantic_on, committed, monkeypatch
):
    queued = []
    from healthpress.search import embeddings

    real_queue = embeddings.queue
    monkeypatch.setattr(
        embeddings, "queue", lambda ids: (queued.append(sorted(ids)), real_queue(ids))
    )
    with committed(), bulk_import():
        pages = [make_article(f"Why does my knee click, case {n}?") for n in range(3)]
    assert queued == [sorted(p.pk for p in pages)]
    assert ArticleEmbedding.objects.count() == 3


def test_rebuild_embeddings_embeds_what_is_missing_and_drops_what_is_not_live(
    make_article, committed, settings
):
    with committed():
        live = make_article("Why do my legs cramp at night?")
        gone = make_article("Why do my feet hurt?")
    ArticleEmbedding.objects.create(
        article=gone, vector=b"", dimensions=0, model="old", text_hash="x"
    )
    ArticlePage.objects.filter(pk=gone.pk).update(live=False)  # as if unpublished unseen
    call_command("rebuild_embeddings", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(ArticleEmbedding.objects.values_list("article_id", flat=True)) == [live.pk]
    assert update_embeddings([live.pk]) == 0


def test_rebuild_embeddings_sends_no_statement_that_grows_with_the_site(make_article, committed):
    with committed():
        articles = [make_article(f"Why does my knee hurt, case {n}?") for n in range(10)]
    parameters = []

    def count(execute, sql, params, many, context):
        parameters.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call_command("rebuild_embeddings", "--batch", "1", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert ArticleEmbedding.objects.count() == len(articles)
    # PostgreSQL takes at most 65,535 parameters a statement: the stale rows were deleted with
    # a list of every live article, which failed on a site of 100,000.
    assert max(parameters) < len(articles)


# --- ranking ----------------------------------------------------------------------------------


LEXICAL_QUERIES = [
    "why do my legs cramp at night",
    "charley horse",
    "my belly feels like a balloon after dinner",
    "pain at the front of my lower legs when I jog",
    "does bad sleep affect my heart",
    "water",
]


def lexical_ranking(query):
    """Today's ranking, computed without search_articles(): BM25 candidates, readers' articles
    only, in rank order."""
    terms = query_terms(query)[1]
    candidates = ranked_ids(ArticlePage, terms, 200)
    visible = set(article_queryset().values_list("pk", flat=True))
    return [pk for pk in candidates if pk in visible]


def test_with_semantic_search_off_the_ranking_is_exactly_the_lexical_one(demo):
    for query in LEXICAL_QUERIES:
        outcome = search_articles(query, log=False)
        expected = lexical_ranking(query)
        assert [a.pk for a in outcome.articles] == expected[:10], query
        assert outcome.total == len(expected), query


# Lay paraphrases of demo articles, written as a reader might type them: word search does not
# put the article they mean among its first three (on SQLite it does not list it at all; on
# PostgreSQL, which keeps more of the common words, shin splints comes fourth), hybrid does.
PARAPHRASES = [
    ("my belly feels like a balloon after dinner", BLOATING),
    ("pain at the front of my lower legs when I jog", SHIN_SPLINTS),
]


@pytest.mark.parametrize(("query", "article"), PARAPHRASES)
def test_hybrid_search_finds_a_lay_paraphrase_that_lexical_search_misses(
    semantic_on, demo, query, article
):
    lexical = search_articles(query, log=False, options=SearchOptions(semantic=False))
    assert article not in titles(lexical)[:3]
    hybrid_outcome = search_articles(query, log=False)
    assert article in titles(hybrid_outcome)[:3]
    assert hybrid_outcome.total == len(hybrid_outcome.articles)  # nothing counted twice


def test_a_paraphrase_the_hybrid_ranking_lifts_into_the_first_two(semantic_on, demo):
    """'puffy feet' is 'swollen ankles' by meaning: the hybrid ranking puts the ankles article
    first on SQLite and second on PostgreSQL (after cramps), where word search alone does not
    have it in its first three there (docs/search.md)."""
    query = "feet puffy in the evening"
    assert ANKLES in titles(search_articles(query, log=False))[:2]


def test_an_idiom_has_no_meaning_to_the_model(semantic_on, demo):
    """ "charley horse" is found by the editors' synonym group, not by the model: no article is
    near it in meaning (docs/search.md)."""
    assert hybrid.nearest("charley horse", article_queryset) == []
    assert titles(search_articles("charley horse", log=False))[0].startswith("Is cramping")


def test_private_articles_are_never_found_by_meaning(semantic_on, demo):
    query, article = PARAPHRASES[0]
    page = ArticlePage.objects.get(title=article)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert ArticleEmbedding.objects.filter(article=page).exists()
    assert article not in titles(search_articles(query, log=False))


def test_a_new_article_is_found_by_meaning_without_restarting(make_article, semantic_on, committed):
    with committed():
        make_article("Why do my legs cramp at night?", short_answer="Mostly tired muscles.")
    search_articles("heartburn", log=False)  # the matrix is now held
    with committed():
        make_article("What helps heartburn at night?", short_answer="Raise the head of the bed.")
    outcome = search_articles("acid coming up my throat at bedtime", log=False)
    assert "What helps heartburn at night?" in titles(outcome)


def test_the_held_matrix_is_filled_from_rows_however_many_were_counted():
    rows = [(7, semantic.to_bytes(v)) for v in semantic.embed(["a", "b", "c"])]
    for expected in (0, 1, 3, 5):  # rows added or deleted between the count and the read
        ids, matrix = hybrid.stack(iter(rows), expected=expected)
        assert ids.tolist() == [7, 7, 7] and matrix.shape == (3, semantic.DIMENSIONS)
        assert np.array_equal(matrix[2], semantic.embed(["c"])[0])


def test_reciprocal_rank_fusion():
    assert hybrid.fuse([1, 2, 3], [3, 4]) == [3, 1, 2, 4]
    assert hybrid.fuse([1, 2], [], pool=1) == [1, 2]  # past the pool: lexical order
    assert hybrid.fuse([], [5, 6]) == [5, 6]


@pytest.mark.parametrize("query", ["zzzqqq xxyyzz", "recipe for lasagne"])
def test_a_query_that_means_nothing_here_still_finds_nothing(semantic_on, demo, query):
    """The similarity floor: the nearest articles by meaning are not "found" for gibberish or
    for a question no article is about, so the no-results page still shows."""
    assert search_articles(query, log=False).total == 0


def test_the_search_page_shows_an_article_found_by_meaning(semantic_on, demo, client, settings):
    query, article = PARAPHRASES[0]
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert article in response.content.decode()
    settings.SEARCH_SEMANTIC = False
    assert article not in client.get("/search/", {"q": query}).content.decode()


def test_a_missing_model_leaves_the_word_search_answering(
    semantic_on, demo, client, monkeypatch, tmp_path
):
    monkeypatch.setattr(semantic, "_model", None)  # as in a process that has not loaded it
    monkeypatch.setattr(semantic, "package_dir", lambda: tmp_path)  # files gone
    response = client.get("/search/", {"q": "heartburn at night"})
    assert response.status_code == 200
    assert "What helps heartburn at night?" in response.content.decode()
