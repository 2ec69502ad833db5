"""Each search term's document count, counted once per change of the search index.

The ranking weighs terms by how rare they are, so it needs each term's document count and the
number of documents. Counting them on every search cost about half of a PostgreSQL search. They
change only when the index does, so they are kept in DocumentCount, tagged with the index
generation they were counted at. The public backend raises the generation in the same
transaction as any change to its documents (search/documents.py), and a count is read together
with the generation in one statement, so a count from before a change is never used: it is
counted again on the next search that needs it.
"""

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Subquery

from .models import DocumentCount, IndexGeneration


def generation_sql():
    """The generation as a subquery, read in the same statement as the counts, so both see the
    same state of the index."""
    meta = IndexGeneration._meta
    generation = meta.get_field("generation").column
    return f"(SELECT {generation} FROM {meta.db_table} WHERE {meta.pk.column} = 1)"


ALL_DOCUMENTS = ""  # the term under which the number of documents is kept
MAX_TERM = DocumentCount._meta.get_field("term").max_length


def document_counts(content_type_id, terms, count):
    """([documents containing each term], number of documents) for the index entries of one
    content type.

    Counts stored at the current index generation are used; the others are counted with
    `count(content_type_id, terms)`, which returns (generation, [count per term], total) read in
    one statement, and stored for the next search.
    """
    wanted = list(dict.fromkeys(terms))
    current = IndexGeneration.objects.filter(pk=1).values("generation")[:1]
    known = dict(
        DocumentCount.objects.filter(
            content_type_id=content_type_id,
            term__in=[*wanted, ALL_DOCUMENTS],
            generation=Subquery(current),
        ).values_list("term", "documents")
    )
    missing = [t for t in wanted if t not in known]
    if missing or ALL_DOCUMENTS not in known:
        generation, counts, total = count(content_type_id, missing)
        fresh = {**dict(zip(missing, counts, strict=True)), ALL_DOCUMENTS: total}
        known.update(fresh)
        if generation is not None:
            _store(content_type_id, generation, fresh)
    return [known[t] for t in terms], known[ALL_DOCUMENTS]


def _store(content_type_id, generation, counts):
    rows = [
        DocumentCount(
            content_type_id=content_type_id, term=term, documents=documents, generation=generation
        )
        # Sorted: concurrent writers lock the rows in one order and never deadlock.
        for term, documents in sorted(counts.items())
        if len(term) <= MAX_TERM
    ]
    try:
        with transaction.atomic():
            # Counts of another generation are of no use any more: the table holds only the
            # terms searched since the index last changed.
            DocumentCount.objects.exclude(generation=generation).delete()
            DocumentCount.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["content_type_id", "term"],
                update_fields=["documents", "generation"],
            )
    except (IntegrityError, OperationalError):
        # A concurrent search storing counts at the same moment (a lock timeout or deadlock):
        # nothing is lost, the next search that needs them stores them.
        pass


def forget():
    """Drop every stored count. They hold the words searched since the index last changed, a
    reader's own words among them (the /ask/ matching step searches with the question): when a
    reader's words are erased elsewhere, these go too. Only a cache: the next searches count
    again what they need. Returns how many rows went."""
    deleted, _ = DocumentCount.objects.all().delete()
    return deleted
