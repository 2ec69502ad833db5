"""Hybrid ranking (SEARCH_SEMANTIC): the BM25 candidates and the nearest articles by meaning,
fused by reciprocal-rank fusion.

Nearest neighbours are exact: one numpy dot product of the query's vector with the vectors of
every live article, held in each process (17,825 articles × 256 float32 = 18 MB). The matrix is
read once and read again when the search index generation (search/counts.py) has moved: the
public backend raises it on every change of its documents (search/documents.py), and
search/embeddings.py on every change of an embedding. Beyond a few hundred thousand articles
the path is pgvector on the operator's PostgreSQL (docs/search.md); no vector store is shipped.

Reciprocal-rank fusion scores an article 1/(k + rank) in each list it appears in and sums them
(Cormack et al., 2009; k=60 as there). Ranks, not scores, are fused: BM25 and cosine are on
scales that cannot be added.
"""

import threading

import numpy as np

from . import semantic
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
_held = None  # (generation, ids array, matrix) for this process


def forget():
    """Drop this process's matrix (tests; the generation check does it otherwise)."""
    global _held
    _held = None


def current_generation():
    return IndexGeneration.objects.filter(pk=1).values_list("generation", flat=True).first()


def vectors(readers_articles):
    """(ids, matrix) of the stored vectors, reloaded when the index generation has moved.

    `readers_articles()` is the queryset of the articles a reader may find
    (service.article_queryset), called only to reload: only their vectors are held."""
    global _held
    generation = current_generation()
    held = _held
    if held is None or held[0] != generation:
        with _lock:
            if _held is None or _held[0] != generation:
                _held = (generation, *_read(readers_articles().values("pk")))
            held = _held
    return held[1], held[2]


def _read(visible_ids):
    rows = ArticleEmbedding.objects.filter(model=semantic.MODEL_NAME, article_id__in=visible_ids)
    vectors = rows.values_list("article_id", "vector")
    return stack(vectors.iterator(chunk_size=READ_CHUNK), expected=rows.count())


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
    """Article ids most similar to `text`, best first, at least MIN_SIMILARITY."""
    ids, matrix = vectors(readers_articles)
    if not len(ids) or not text:
        return []
    return most_similar(ids, matrix, semantic.embed([text])[0], count)


def most_similar(ids, matrix, query_vector, count=NEIGHBOURS, floor=MIN_SIMILARITY):
    """The `count` ids whose rows have the highest cosine with `query_vector` (rows and query
    L2-normalised), best first (ties by id), keeping only those at least `floor`."""
    if not len(ids):
        return []
    # einsum, not `matrix @ vector`: the matrix product goes to OpenBLAS, whose threads on a
    # busy 2-core machine took 7.8 ms for 17,825 articles against einsum's single-thread 0.7 ms.
    scores = np.einsum("ij,j->i", matrix, query_vector)
    count = min(count, len(ids))
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.lexsort((ids[best], -scores[best]))]
    return [int(ids[i]) for i in best if scores[i] >= floor]


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
