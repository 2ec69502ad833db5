"""Hybrid ranking (SEARCH_SEMANTIC): the BM25 candidates and the nearest articles by meaning,
fused by reciprocal-rank fusion.

Nearest neighbours are exact: one numpy dot product of the query's vector with every article's
vector. The vectors live in files under var/ that every process maps read-only
(search/vectorstore.py: 100,000 articles × 256 float32 = 102 MB, in memory once for all the web
processes, not once each). Whoever changes an embedding (search/embeddings.py) writes the
change there after its commit; each process sees it on its next search. Beyond a few hundred
thousand articles the path is pgvector on the operator's PostgreSQL (docs/search.md); no vector
server is shipped.

Reciprocal-rank fusion scores an article 1/(k + rank) in each list it appears in and sums them
(Cormack et al., 2009; k=60 as there). Ranks, not scores, are fused: BM25 and cosine are on
scales that cannot be added.
"""

import threading
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from . import semantic, vectorstore
from .models import ArticleEmbedding, IndexGeneration

RRF_K = 60
LEXICAL_POOL = 100  # BM25's best, fused with the neighbours; the rest follow in BM25 order
NEIGHBOURS = 100  # nearest articles by meaning taken into the fusion
# A neighbour less similar than this is not counted as found: without a floor every query,
# gibberish included, would "find" NEIGHBOURS articles. No floor separates "about something
# else" from "relevant" on a large site (docs/search.md): over the benchmark corpus the
# judged-relevant articles' cosine has a 10th percentile of 0.27 while questions on other
# subjects ("recipe for lasagne") reach 0.2-0.47 with their nearest article; on the small demo
# site a lay paraphrase scores 0.29 with its article and gibberish 0.11. 0.2 keeps gibberish
# out of small sites and cost no relevance on the benchmark (0.3 lost the demo's paraphrases).
MIN_SIMILARITY = 0.2

_lock = threading.Lock()
_reader = None  # this process's vectorstore.Reader, checked against the database when opened
_generation = None  # the search index generation at this process's last check
CATCH_UP_MARGIN = timedelta(minutes=5)  # rows committed later than their updated_at


def forget():
    """Let go of this process's view of the shared vectors: the next search checks them against
    the database again (tests, whose databases roll back; at start in production)."""
    global _reader, _generation
    _reader = _generation = None


def store():
    return vectorstore.Store(settings.SEARCH_VECTOR_DIR, semantic.DIMENSIONS)


def shared_view():
    """This process's view of the shared vectors.

    The files are only a shared copy of ArticleEmbedding, checked against it (row count and
    latest change: one query) when a process first looks, and again when the search index
    generation (one query a search, as for the word ranking's counts) has moved:
    - at the first look, files that disagree are written whole (a fresh install, a restore);
    - later, the rows changed since the files' latest are added (catch_up): a change written
      by another machine, whose var/ this one does not see, or by a writer that died between
      its commit and its write."""
    global _reader, _generation
    generation = current_generation()
    reader = _reader
    if reader is None or reader.store.directory != Path(settings.SEARCH_VECTOR_DIR):
        with _lock:
            reader = _reader
            if reader is None or reader.store.directory != Path(settings.SEARCH_VECTOR_DIR):
                shared = store()
                rebuild(shared, only_if_stale=True)
                reader, _generation = vectorstore.Reader(shared), generation
                _reader = reader
    if generation != _generation:
        catch_up(reader.store)
        _generation = generation
    return reader.view()


def current_generation():
    return IndexGeneration.objects.filter(pk=1).values_list("generation", flat=True).first()


def _stamp():
    """What the files must agree with: the table's row count and latest change. Taken before
    the rows are read, so a row committed in between makes the stamp old, not the rows."""
    rows = ArticleEmbedding.objects.filter(model=semantic.MODEL_NAME)
    summary = rows.aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = summary["latest"].isoformat() if summary["latest"] else ""
    return f"{summary['count']}@{latest}"


def catch_up(shared):
    """Add the rows changed since the files' latest change (a few minutes' margin), when the
    table's stamp says the files missed some. Rows deleted meanwhile may stay in the files
    until the next full write: nearest() shows only what a reader may find anyway."""
    manifest = shared.manifest()
    if manifest is None or manifest.get("stamp") == _stamp():
        return
    with shared.locked():
        stamp, manifest = _stamp(), shared.manifest()
        if manifest.get("stamp") == stamp:
            return
        rows = ArticleEmbedding.objects.filter(model=semantic.MODEL_NAME)
        _, _, latest = manifest.get("stamp", "").partition("@")
        if latest:
            rows = rows.filter(updated_at__gte=datetime.fromisoformat(latest) - CATCH_UP_MARGIN)
        ids, matrix = _read(rows)
        shared.apply(ids, matrix, [], stamp=stamp)


def _read(rows, expected=0):
    return stack(rows.values_list("article_id", "vector").iterator(READ_CHUNK), expected)


def rebuild(shared=None, only_if_stale=False):
    """Write the shared vectors whole from ArticleEmbedding (manage.py rebuild_embeddings ends
    with it; a process that finds the files out of date does it too, unless another process
    did while it waited for the lock)."""
    shared = shared or store()
    with shared.locked():
        stamp = _stamp()
        manifest = shared.manifest()
        if only_if_stale and manifest is not None and manifest.get("stamp") == stamp:
            return
        rows = ArticleEmbedding.objects.filter(model=semantic.MODEL_NAME)
        ids, matrix = _read(rows, expected=rows.count())
        shared.replace_all(ids, matrix, stamp=stamp)


def sync(article_ids):
    """Write these articles' rows (or their removal) to the shared vectors: called once the
    change to ArticleEmbedding has committed. Only these rows are read and written."""
    article_ids = list(article_ids)
    shared = store()
    with shared.locked():
        stamp = _stamp()
        rows = ArticleEmbedding.objects.filter(
            model=semantic.MODEL_NAME, article_id__in=article_ids
        )
        ids, matrix = _read(rows, expected=len(article_ids))
        removed = sorted(set(article_ids) - set(ids.tolist()))
        shared.apply(ids, matrix, removed, stamp=stamp)


def vectors(readers_articles):
    """(ids, matrix) of the vectors of the articles a reader may find, copied into this
    process: for the benchmarks, which study the whole matrix; searches use nearest()."""
    view = shared_view()
    if view is None:
        return vectorstore.empty(semantic.DIMENSIONS)
    ids, matrix = view.rows()
    visible = np.isin(ids, list(readers_articles().values_list("pk", flat=True)))
    return ids[visible], matrix[visible]


READ_CHUNK = 1000  # rows fetched at a time while the matrix is filled


def stack(rows, expected=0):
    """(ids, matrix) from (article id, stored vector bytes) rows, filled into arrays sized for
    `expected` rows (grown if more come), so that reading adds little beyond the matrix itself:
    building it from a list of every row's bytes held three copies at once, and the process
    kept the memory (53 MB resident for a 17 MB matrix; bench_search.py --semantic measures)."""
    ids = np.empty(expected, dtype=np.int64)
    matrix = np.empty((expected, semantic.DIMENSIONS), dtype=np.float32)
    count = 0
    for pk, vector in rows:
        if count == len(ids):  # rows added since they were counted
            ids = np.resize(ids, max(16, 2 * count))
            matrix = np.resize(matrix, (len(ids), semantic.DIMENSIONS))
        ids[count] = pk
        matrix[count] = semantic.from_bytes(vector)
        count += 1
    return ids[:count], matrix[:count]


def nearest(text, readers_articles, count=NEIGHBOURS):
    """Article ids most similar to `text`, best first, at least MIN_SIMILARITY, among those
    `readers_articles()` (service.article_queryset) lets a reader find.

    The shared vectors hold every embedded (live) article, private ones too: twice `count` are
    taken and those the reader may not see dropped, with one query on those ids."""
    view = shared_view()
    if view is None or not len(view) or not text:
        return []
    ids, scores = view.scores(semantic.embed([text])[0])
    found = vectorstore.best(ids, scores, 2 * count, MIN_SIMILARITY)
    visible = set(readers_articles().filter(pk__in=found).values_list("pk", flat=True))
    return [pk for pk in found if pk in visible][:count]


def most_similar(ids, matrix, query_vector, count=NEIGHBOURS, floor=MIN_SIMILARITY):
    """The `count` ids whose rows have the highest cosine with `query_vector` (rows and query
    L2-normalised), best first (ties by id), keeping only those at least `floor`."""
    if not len(ids):
        return []
    # einsum, not `matrix @ vector`: the matrix product goes to OpenBLAS, whose threads on a
    # busy 2-core machine took 7.8 ms for 17,825 articles against einsum's single-thread 0.7 ms.
    return vectorstore.best(ids, np.einsum("ij,j->i", matrix, query_vector), count, floor)


def fuse(lexical, neighbours, k=RRF_K, pool=LEXICAL_POOL):
    """Reciprocal-rank fusion of the first `pool` lexical ids with the neighbours; the lexical
    candidates past the pool follow in their own order."""
    scores = {}
    for ranking in (lexical[:pool], neighbours):
        for rank, pk in enumerate(ranking, 1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (k + rank)
    fused = sorted(scores, key=lambda pk: -scores[pk])
    seen = set(fused)
    return fused + [pk for pk in lexical[pool:] if pk not in seen]
