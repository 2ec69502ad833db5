"""Ranking articles for a list of terms, on the index Wagtail's database backend maintains.

Wagtail keeps the index (wagtailsearch_indexentry, plus its FTS5 table on SQLite) up to date when
pages are published. Its own query builder ranks every match through a correlated subquery, which
measured 200 ms median on only 1,000 articles for a lay question ORing a dozen words. So this module
reads the same index with one plain ranked query per backend, best first, capped:

- SQLite: FTS5 MATCH of the ORed terms, ranked by FTS5's BM25 with the question (title column)
  weighted above the rest of the article.
- PostgreSQL: the english-config tsvectors Wagtail built (its weights A-D follow the boosts in
  ArticlePage.search_fields), matched with an ORed tsquery and ranked with ts_rank.
"""

import math

from django.contrib.contenttypes.models import ContentType
from django.db import connection

TITLE_WEIGHT = 4.0  # the question outweighs the same word in the answer
BODY_WEIGHT = 1.0


# A word found in more than this share of all articles ("symptoms", "treatment") adds almost
# nothing to BM25 but makes the database score thousands of rows: it is left out of a query that
# has rarer words. Measured on the benchmark: it keeps the relevance and cuts the p95 latency.
MAX_DOCUMENT_SHARE = 0.15
MAX_RANKED_TERMS = 16  # the rarest words of a long message carry its meaning


def ranked_ids(model, terms, limit):
    """Primary keys of `model` objects matching any of `terms`, best first, at most `limit`."""
    if not terms:
        return []
    content_type = ContentType.objects.get_for_model(model)
    if connection.vendor == "sqlite":
        search, frequencies = _sqlite, _sqlite_frequencies
    elif connection.vendor == "postgresql":
        search, frequencies = _postgres, _postgres_frequencies
    else:
        raise NotImplementedError(f"search is not set up for {connection.vendor}")
    counts, total = frequencies(content_type.pk, terms)
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


def _quote_fts(term):
    # Each term is an FTS5 string literal: quotes doubled, so no term can be read as syntax.
    return '"' + term.replace('"', '""') + '"'


def _sqlite(content_type_id, terms, limit, counts, total):
    match = "{title body} : (" + " OR ".join(_quote_fts(t) for t in terms) + ")"
    # bm25() takes one weight per FTS column, in table order: autocomplete, body, title.
    sql = (
        "SELECT e.object_id FROM wagtailsearch_indexentry_fts f "
        "JOIN wagtailsearch_indexentry e ON e.id = f.rowid "
        "WHERE wagtailsearch_indexentry_fts MATCH %s AND e.content_type_id = %s "
        "ORDER BY bm25(wagtailsearch_indexentry_fts, 0.0, %s, %s), e.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, content_type_id, BODY_WEIGHT, TITLE_WEIGHT, limit])
        return [int(row[0]) for row in cursor.fetchall()]


def _sqlite_frequencies(content_type_id, terms):
    """How many index entries contain each term, and how many entries there are. FTS5 counts a
    term's document list without reading positions: well under a millisecond per term."""
    count = (
        "(SELECT count(*) FROM wagtailsearch_indexentry_fts "
        "WHERE wagtailsearch_indexentry_fts MATCH %s)"
    )
    sql = "SELECT " + ", ".join([count] * len(terms)) + ", (SELECT max(rowid) FROM "
    sql += "wagtailsearch_indexentry_fts)"
    params = ["{title body} : " + _quote_fts(t) for t in terms]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return list(row[:-1]), row[-1] or 0


def _postgres_frequencies(content_type_id, terms):
    count = (
        "(SELECT count(*) FROM wagtailsearch_indexentry "
        "WHERE body @@ to_tsquery('english', %s) AND content_type_id = %s)"
    )
    sql = "SELECT " + ", ".join([count] * len(terms))
    sql += ", (SELECT count(*) FROM wagtailsearch_indexentry WHERE content_type_id = %s)"
    params = [p for t in terms for p in (_tsquery_term(t), content_type_id)] + [content_type_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    # Counted on the body vector only (adding the title doubled the time, measured); a word
    # found only in questions counts as rare, never as absent.
    return [max(c, 1) for c in row[:-1]], row[-1] or 0


def _postgres(content_type_id, terms, limit, counts, total):
    # ts_rank knows nothing of how rare a word is, so each term's rank is weighted by its BM25
    # idf from the counts above: a match on "cramp" outweighs one on "night". Each term's
    # tsquery is parsed once (in the CTE), not once per row; to_tsquery stems each quoted term,
    # and a quoted term cannot be read as tsquery syntax.
    columns = ", ".join(f"to_tsquery('english', %s) AS q{n}" for n in range(len(terms)))
    parts, weights = [], []
    for n, count in enumerate(counts):
        idf = max(math.log((total - count + 0.5) / (count + 0.5)), 0.1)
        parts.append(f"%s * (%s * ts_rank(e.title, q.q{n}) + ts_rank(e.body, q.q{n}))")
        weights += [idf, TITLE_WEIGHT]
    sql = (
        f"WITH q AS (SELECT to_tsquery('english', %s) AS q_any, {columns}) "
        "SELECT e.object_id FROM wagtailsearch_indexentry e, q "
        "WHERE e.content_type_id = %s AND (e.title @@ q.q_any OR e.body @@ q.q_any) "
        f"ORDER BY {' + '.join(parts)} DESC, e.id LIMIT %s"
    )
    quoted = [_tsquery_term(t) for t in terms]
    params = [" | ".join(quoted), *quoted, content_type_id, *weights, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]


def _tsquery_term(term):
    # Terms are letters and digits only (see preprocess.words), but quote them anyway.
    return "'" + term.replace("'", "''").replace("\\", "") + "'"
