"""Each search term's document count, kept and reused while it can have drifted only a little.

The ranking weighs terms by how rare they are, so it needs each term's document count and the
number of documents. Counting them on every search cost about half of a PostgreSQL search, so
they are kept in DocumentCount. Until issue 27 a count was used only at the index generation it
was counted at; but the generation goes up with every publish, so the first search after any
change recounted every word, and a common word (thousands of postings) is the costly one: at
100,000 articles that first search had a p95 of 88 ms on SQLite and up to 437 ms on PostgreSQL.

The rule now: IndexGeneration.changed_documents counts the documents written or removed since
the start, raised in the same transaction as each change (search/documents.py). A term's count
moves by at most one per document changed, so a count n taken when that number stood at c is
off by at most (now - c). It is reused while (now - c) <= n / DRIFT_DIVISOR, and the number of
documents by the same rule against its own value; otherwise it is counted again. So a common
word's count survives many publishes (at 5,000 articles holding it, 50 documents changed), a
rare word's is counted again after the next change, and it is cheap to count. No count used
is ever off by more than MAX_DRIFT of itself; ranking.py widens its SQLite bound by that
share so its proof holds (see _fts5_idf_most there), and PostgreSQL scores with our counts
throughout, so its bound holds with them as they are.

The table stays small: whenever counts are stored, rows past the rule are deleted (the drift
since they were counted only grows, so they can never be reused). It holds the rare words
searched since the last change and the common words searched since their share of changes,
bounded by the words with many documents. forget() drops it all.
"""

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Subquery

from .models import DocumentCount, IndexGeneration

# A count is reused while the documents changed since it was counted are at most 1/100 of it.
DRIFT_DIVISOR = 100
MAX_DRIFT = 1 / DRIFT_DIVISOR


def changes_sql():
    """IndexGeneration.changed_documents as a subquery, read in the same statement as the
    counts, so both see the same state of the index."""
    meta = IndexGeneration._meta
    changed = meta.get_field("changed_documents").column
    return f"(SELECT {changed} FROM {meta.db_table} WHERE {meta.pk.column} = 1)"


ALL_DOCUMENTS = ""  # the term under which the number of documents is kept
MAX_TERM = DocumentCount._meta.get_field("term").max_length


def reusable(documents, changed_since):
    """Whether a count of `documents` taken `changed_since` document changes ago is still
    within MAX_DRIFT of the truth (a count of 0 only while nothing changed)."""
    return changed_since * DRIFT_DIVISOR <= documents


def document_counts(content_type_id, terms, count):
    """([documents containing each term], number of documents) for the index entries of one
    content type, each within MAX_DRIFT of its true value.

    Stored counts that are reusable() are used; the others are counted with
    `count(content_type_id, terms, with_total)`, which returns (changed_documents, [count per
    term], total or None) read in one statement, and stored for the next search.
    """
    wanted = list(dict.fromkeys(terms))
    now = IndexGeneration.objects.filter(pk=1).values("changed_documents")[:1]
    rows = (
        DocumentCount.objects.filter(
            content_type_id=content_type_id, term__in=[*wanted, ALL_DOCUMENTS]
        )
        .annotate(now=Subquery(now))
        .values_list("term", "documents", "changed_documents", "now")
    )
    known = {
        term: documents
        for term, documents, counted, changed in rows
        if changed is not None and reusable(documents, changed - counted)
    }
    missing = [t for t in wanted if t not in known]
    with_total = ALL_DOCUMENTS not in known
    if missing or with_total:
        changed, counts, total = count(content_type_id, missing, with_total)
        fresh = dict(zip(missing, counts, strict=True))
        if with_total:
            fresh[ALL_DOCUMENTS] = total
        known.update(fresh)
        if changed is not None:
            _store(content_type_id, changed, fresh)
    return [known[t] for t in terms], known[ALL_DOCUMENTS]


def _store(content_type_id, changed, counts):
    rows = [
        DocumentCount(
            content_type_id=content_type_id,
            term=term,
            documents=documents,
            changed_documents=changed,
        )
        # Sorted: concurrent writers lock the rows in one order and never deadlock.
        for term, documents in sorted(counts.items())
        if len(term) <= MAX_TERM
    ]
    try:
        with transaction.atomic():
            # Rows no longer reusable() never will be again (the changes since only grow).
            DocumentCount.objects.alias(
                limit=F("changed_documents") * DRIFT_DIVISOR + F("documents")
            ).filter(limit__lt=changed * DRIFT_DIVISOR).delete()
            DocumentCount.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["content_type_id", "term"],
                update_fields=["documents", "changed_documents"],
            )
    except (IntegrityError, OperationalError):
        # A concurrent search storing counts at the same moment (a lock timeout or deadlock):
        # nothing is lost, the next search that needs them stores them.
        pass


def forget():
    """Drop every stored count. They hold words readers searched, a reader's own words among
    them (the /ask/ matching step searches with the question): when a reader's words are
    erased elsewhere, these go too. Only a cache: the next searches count again what they
    need. Returns how many rows went."""
    deleted, _ = DocumentCount.objects.all().delete()
    return deleted
