"""Ranking articles for a list of terms, on the public search's own index (PublicDocument).

The index holds the live, public articles only (search/documents.py), so drafts and private
pages count in no statistic. Wagtail's own query builder ranks every match through a correlated
subquery, which measured 200 ms median on only 1,000 articles for a lay question ORing a dozen
words; this module ranks with one plain query per backend, best first, capped:

- SQLite: FTS5 MATCH of the ORed terms on the FTS5 table of PublicDocument, ranked by FTS5's
  BM25 with the question (title column) weighted above the rest of the article; on a large
  site only the articles holding one of the rarer words are scored, when a bound proves that
  the first EXACT_DEPTH places are those of scoring every match (see _sqlite).
- PostgreSQL: PublicDocument's english-config tsvectors, ranked with ts_rank per term weighted
  by the term's BM25 idf, on a first cut of candidates chosen from the GIN indexes alone; on a
  large site the cut reads the body index for the rarer words only, when a bound proves that
  the first EXACT_DEPTH places are unchanged (see _postgres).

Table and column names come from the model. Both need each term's document count; those come
from counts.document_counts(), which reuses a stored count while it can be off by at most
counts.MAX_DRIFT of itself, not counted on every search.
"""

import math

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from .counts import DRIFT_DIVISOR, changes_sql, document_counts
from .documents import search_config
from .models import PublicDocument

TITLE_WEIGHT = 4.0  # the question outweighs the same word in the answer
BODY_WEIGHT = 1.0
FTS_WEIGHTS = {"title": TITLE_WEIGHT, "body": BODY_WEIGHT}  # by PublicDocument field name


# A word found in more than this share of all articles ("symptoms", "treatment") adds almost
# nothing to BM25 but makes the database score thousands of rows: it is left out of a query that
# has rarer words. Measured on the benchmark: it keeps the relevance and cuts the p95 latency.
MAX_DOCUMENT_SHARE = 0.15
MAX_RANKED_TERMS = 16  # the rarest words of a long message carry its meaning

# PostgreSQL ranks precisely (ts_rank per term) only this many candidates, chosen by a cheap score
# read from the GIN indexes: the sum of the idf of each term found in the question (times
# TITLE_WEIGHT) or in the rest of the article (times FIRST_CUT_BODY: one ts_rank of a word in the
# short answer is about 0.24, in the body 0.06, in the question 0.6). Measured on the whole
# benchmark corpus: the same top 10 for every query form down to a cut of 200, p95 latency
# 180 ms -> under 30 ms.
FIRST_CUT = 300
FIRST_CUT_BODY = 0.25

# Both backends scored every article holding any of the words: FTS5 computes BM25 for each
# match (reading its positions and size) before sorting; PostgreSQL's first cut read and grouped
# every posting of every word. At 100,000 articles a question with a few common words matched
# 30,000 articles (49,000 postings), 35-50 ms on SQLite and 100-180 ms on PostgreSQL. So when
# the words' document counts add up to more than SCORED_ROWS, only the articles holding one of
# the rarest words (up to SCORED_ROWS of them together) are scored (on PostgreSQL: those and the
# articles with any of the words in their question), by the same score of every word. An
# article left out can score at most what its other words can give (a bound per backend, below),
# so when the EXACT_DEPTH-th article scored beats that bound, the first EXACT_DEPTH places are
# those of scoring every match; otherwise every match is scored, as before. Past EXACT_DEPTH
# the articles left out are missing: they hold only common words. Measured on the
# 100,000-article bench site (docs/performance.md, "Search at 100,000 articles").
SCORED_ROWS = 5_000  # measured at 2,000, 5,000, 10,000 and 20,000 (docs/performance.md)
EXACT_DEPTH = 20
# SQLite: in FTS5's bm25() a word adds less than (k1 + 1) times its idf, k1 = 1.2.
BM25_K1 = 1.2
# The bound taken a little wide: the counts are ours, read in another statement than the ranking
# (a change may commit between them). Their allowed drift (counts.MAX_DRIFT) is taken into the
# SQLite bound exactly (_fts5_idf_most); PostgreSQL scores with our counts throughout.
BOUND_MARGIN = 1.05
# PostgreSQL: ts_rank() of one word in a vector without weights (weight D, 0.1 in ts_rank's
# default weights) stays below this however often the word is repeated (tests check it).
TS_RANK_MAX = 0.1


def ranked_ids(model, terms, limit):
    """Primary keys of the live, public `model` objects (ArticlePage: the only model indexed)
    matching any of `terms`, best first, at most `limit`."""
    if not terms:
        return []
    content_type = ContentType.objects.get_for_model(model)
    if connection.vendor == "sqlite":
        search, frequencies = _sqlite, _sqlite_frequencies
    elif connection.vendor == "postgresql":
        search, frequencies = _postgres, _postgres_frequencies
    else:
        raise NotImplementedError(f"search is not set up for {connection.vendor}")
    counts, total = document_counts(content_type.pk, terms, frequencies)
    chosen = informative_terms(terms, counts, total)
    if not chosen:
        return []
    by_term = dict(zip(terms, counts, strict=True))
    found = search(content_type.pk, chosen, limit, [by_term[t] for t in chosen], total)
    if not found:
        # The rare words matched nothing (PostgreSQL counts words in the body only, so a word
        # absent everywhere looks rare): try again with every word, the rarest first.
        widest = informative_terms(terms, counts, 0)
        if widest != chosen:
            found = search(content_type.pk, widest, limit, [by_term[t] for t in widest], total)
    return found


def informative_terms(terms, counts, total):
    """The terms worth ranking on: found somewhere, the rarest first, common ones dropped
    unless nothing rarer is left."""
    found = sorted((c, i, t) for i, (t, c) in enumerate(zip(terms, counts, strict=True)) if c)
    rare = [t for c, _, t in found if c <= MAX_DOCUMENT_SHARE * total]
    chosen = rare or [t for _, _, t in found[:MAX_RANKED_TERMS]]
    return chosen[:MAX_RANKED_TERMS]


def idf(count, total):
    """BM25's idf of a term found in `count` of `total` documents (floored at 0.1). PostgreSQL
    counts a word found only in questions as 1, so `count` may exceed `total` (an empty index)."""
    return max(math.log((max(total - count, 0) + 0.5) / (count + 0.5)), 0.1)


def _quote_fts(term):
    # Each term is an FTS5 string literal: quotes doubled, so no term can be read as syntax.
    return '"' + term.replace('"', '""') + '"'


def _names():
    """(documents table, FTS5 table, its columns in table order, primary key column)."""
    meta = PublicDocument._meta
    return meta.db_table, PublicDocument.fts_table(), PublicDocument.fts_columns(), meta.pk.column


def _column_filter():
    # FTS5's column filter: every indexed column ("{title body}").
    return "{" + " ".join(PublicDocument.fts_columns()) + "}"


def _sqlite(content_type_id, terms, limit, counts, total):
    """FTS5's BM25 of every term; only the articles holding a rarer term scored when the bound
    allows it (SCORED_ROWS). When it does not, the EXACT_DEPTH-th score found is still a floor
    for the wider pools (their scores are the same, over more articles): the pool is widened to
    the fewest rarer terms whose left-out rest cannot reach that floor, or to every match."""
    by_count = sorted(zip(counts, terms, strict=True))  # rarest first
    depth = min(EXACT_DEPTH, limit)
    bounds = [  # bounds[k]: the most the terms after the k rarest can give an article
        (BM25_K1 + 1) * sum(_fts5_idf_most(c, total) for c, _ in by_count[k:]) * BOUND_MARGIN
        for k in range(len(by_count) + 1)
    ]
    rare = _scored_terms([count for count, _ in by_count])
    if rare < len(terms):
        rows = _sqlite_ranked(terms, limit, only=[term for _, term in by_count[:rare]])
        floor = -rows[depth - 1][1] if len(rows) >= depth else 0.0
        if floor >= bounds[rare]:
            return [pk for pk, _ in rows]
        wider = next(k for k in range(rare, len(terms) + 1) if bounds[k] <= floor)
        if wider < len(terms):
            rows = _sqlite_ranked(terms, limit, only=[term for _, term in by_count[:wider]])
            return [pk for pk, _ in rows]
    return [pk for pk, _ in _sqlite_ranked(terms, limit)]


def _scored_terms(counts):
    """How many of the rarest terms (counts ascending) hold at most SCORED_ROWS articles
    together; at least one."""
    held = 0
    for n, count in enumerate(counts):
        held += count
        if held > SCORED_ROWS:
            return max(n, 1)
    return len(counts)


def _fts5_idf(count, total):
    # FTS5's own idf in bm25() (fts5_aux.c): floored at 1e-6, not at 0.1 as idf() is.
    return max(math.log((max(total - count, 0) + 0.5) / (count + 0.5)), 1e-6)


def _fts5_idf_most(count, total):
    """The most FTS5's idf can be for a term of stored `count` of `total` documents. FTS5's
    bm25() uses its own exact statistics, ours may be off by up to 1/DRIFT_DIVISOR of
    themselves (counts.py), and the idf grows as the count falls and as the total grows: so the
    lowest true count and the highest true total. BOUND_MARGIN alone would not cover it: near
    half of all documents the idf is near 0, and a 1 % drift of the count halves it (tests)."""
    return _fts5_idf(count - count // DRIFT_DIVISOR, total + total // DRIFT_DIVISOR)


def _sqlite_ranked(terms, limit, only=None):
    """[(rowid, bm25)] of the articles matching any of `terms`, best first (FTS5's bm25() is
    negative: lower is better); with `only`, those matching one of `only`, scored on every
    term all the same."""
    _, fts, columns, _ = _names()
    # bm25() takes one weight per FTS column, in table order (read from the model).
    weights = ", ".join("%s" for _ in columns)
    sql = f"SELECT rowid, bm25({fts}, {weights}) AS score FROM {fts} WHERE {fts} MATCH %s "
    params = [*(FTS_WEIGHTS[name] for name in PublicDocument.TEXT_FIELDS), _match(terms)]
    if only:
        # `+rowid`: not offered to FTS5 as a rowid constraint, which would run the whole match
        # once per listed rowid (and count each word's articles again each time: 19 s).
        sql += f"AND +rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) "
        params.append(_match(only))
    sql += "ORDER BY score, rowid LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), score) for pk, score in cursor.fetchall()]


def _match(terms):
    return _column_filter() + " : (" + " OR ".join(_quote_fts(t) for t in terms) + ")"


def _sqlite_frequencies(content_type_id, terms, with_total=True):
    """The index's changed_documents, how many documents contain each term, and (with_total)
    how many documents there are, in one statement. FTS5 counts a term's document list without
    reading positions."""
    documents, fts, _, _ = _names()
    count = f"(SELECT count(*) FROM {fts} WHERE {fts} MATCH %s)"
    sql = f"SELECT {changes_sql()}" + "".join(f", {count}" for _ in terms)
    sql += f", (SELECT count(*) FROM {documents})" if with_total else ""
    params = [f"{_column_filter()} : " + _quote_fts(t) for t in terms]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return _frequencies_row(row, len(terms), with_total)


def _frequencies_row(row, terms, with_total):
    """(changed_documents, [count per term], total or None) of a counting statement's row."""
    counts = list(row[1 : 1 + terms])
    return row[0], counts, (row[-1] or 0) if with_total else None


def _vectors():
    title = PublicDocument._meta.get_field("title_vector").column
    body = PublicDocument._meta.get_field("body_vector").column
    return title, body


def _postgres_frequencies(content_type_id, terms, with_total=True):
    documents, _, _, _ = _names()
    _, body = _vectors()
    count = f"(SELECT count(*) FROM {documents} WHERE {body} @@ to_tsquery(%s::regconfig, %s))"
    sql = f"SELECT {changes_sql()}" + "".join(f", {count}" for _ in terms)
    sql += f", (SELECT count(*) FROM {documents})" if with_total else ""
    config = search_config()
    params = [p for t in terms for p in (config, _tsquery_term(t))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    # Counted on the body vector only (adding the title doubled the time, measured); a word
    # found only in questions counts as rare, never as absent.
    changed, counts, total = _frequencies_row(row, len(terms), with_total)
    return changed, [max(c, 1) for c in counts], total


def _postgres(content_type_id, terms, limit, counts, total):
    """As SQLite's (SCORED_ROWS): when the words' body counts add up to more than SCORED_ROWS,
    the first cut reads the body index for the rarest words only (and the question index for
    every word); an article left out holds no rare word and no word in its question, so it
    scores at most the idf times TS_RANK_MAX of each other word (ts_rank of one word in a vector
    of weight D stays below 0.1). When the EXACT_DEPTH-th article ranked beats that, no article
    left out could have entered the first EXACT_DEPTH places; otherwise every branch is read,
    as before. The idf weights of both the cut and the scores come from our counts (reused
    within counts.MAX_DRIFT), so the bound holds for the scores ranked by, drift or not."""
    by_count = sorted(zip(counts, terms, strict=True))  # rarest first
    rare = _scored_terms([count for count, _ in by_count])
    if rare < len(terms):
        depth = min(EXACT_DEPTH, limit)
        only = [term for _, term in by_count[:rare]]
        rows = _postgres_ranked(terms, limit, counts, total, only=only)
        left_out = sum(idf(count, total) * _rank_max(term) for count, term in by_count[rare:])
        if len(rows) >= depth and rows[depth - 1][1] >= left_out * BOUND_MARGIN:
            return [pk for pk, _ in rows]
    return [pk for pk, _ in _postgres_ranked(terms, limit, counts, total)]


def _rank_max(term):
    """The most ts_rank() gives one term in one vector of the index (written without weights:
    every position has weight D). A phrase (a synonym of several words) is ranked as one, with
    a different formula that reaches 1."""
    return 1.0 if " " in term else TS_RANK_MAX


def _postgres_ranked(terms, limit, counts, total, only=None):
    """[(id, score)], best first, in two steps in one statement:

    1. `cut`: the FIRST_CUT best candidates by the cheap score (see FIRST_CUT), from one GIN
       index lookup per term and column (with `only`, the body's for those terms only): no
       tsvector is read.
    2. those ranked by ts_rank per term, weighted by the term's idf (plain ts_rank knows nothing
       of how rare a word is: "cramp" must outweigh "night"). Each body vector is read (and
       de-TOASTed) once, in the subquery, not once per term: that alone was 3/4 of the time.

    Each term's tsquery is parsed once (in `q`); to_tsquery stems each quoted term, and a quoted
    term cannot be read as tsquery syntax.
    """
    weights = [idf(count, total) for count in counts]
    quoted = [_tsquery_term(t) for t in terms]
    documents, _, _, pk = _names()
    title, body = _vectors()
    branch = (
        f"SELECT {pk} AS id, %s::float8 AS w FROM {documents} "
        "WHERE {column} @@ to_tsquery(%s::regconfig, %s)"
    )
    config = search_config()
    branches, branch_params = [], []
    for weight, term, name in zip(weights, quoted, terms, strict=True):
        branches.append(branch.format(column=title))
        branch_params += [weight * TITLE_WEIGHT, config, term]
        if only is None or name in only:
            branches.append(branch.format(column=body))
            branch_params += [weight * FIRST_CUT_BODY, config, term]
    columns = ", ".join(f"to_tsquery(%s::regconfig, %s) AS q{n}" for n in range(len(terms)))
    score = " + ".join(
        f"%s * (%s * ts_rank(c.title, q.q{n}) + ts_rank(c.body, q.q{n}))" for n in range(len(terms))
    )
    score_params = [p for weight in weights for p in (weight, TITLE_WEIGHT)]
    sql = (
        f"WITH q AS (SELECT {columns}), "
        f"cut AS (SELECT id FROM ({' UNION ALL '.join(branches)}) hits "
        "GROUP BY id ORDER BY sum(w) DESC, id LIMIT %s) "
        # OFFSET 0 keeps the subquery (and its one de-TOASTed copy of the body) from being
        # folded into the outer query, where each ts_rank would read the body again.
        f"SELECT c.id, {score} AS score FROM (SELECT d.{pk} AS id, d.{title} AS title, "
        f"d.{body} || ''::tsvector AS body FROM {documents} d JOIN cut ON cut.id = d.{pk} "
        "OFFSET 0) c, q ORDER BY score DESC, c.id LIMIT %s"
    )
    query_params = [p for term in quoted for p in (config, term)]
    params = [*query_params, *branch_params, max(limit, FIRST_CUT), *score_params, limit]
    # Parallel workers cost more to start than this query takes (measured: a 2-core machine
    # spent 10 ms in Gather for the first step), and JIT compiling never pays at this size.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('jit', 'off', true)"
        )
        cursor.execute(sql, params)
        return [(int(pk), score) for pk, score in cursor.fetchall()]


def _tsquery_term(term):
    # Terms are letters and digits only (see preprocess.words), but quote them anyway.
    return "'" + term.replace("'", "''").replace("\\", "") + "'"
