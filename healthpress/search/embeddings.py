"""Article embeddings as part of the search index: written on publish, removed on unpublish.

With SEARCH_SEMANTIC on, each publish queues `embed_articles` once the publish commits (a
background task, like Wagtail's own indexing); inside the importer's bulk_import() the articles
are queued once at the end instead, in batches of TASK_BATCH. Unpublishing deletes the
article's row at once (in the unpublish's transaction); deleting the article deletes it too
(CASCADE). With SEARCH_SEMANTIC off nothing is embedded: publishing pays nothing for a feature
that is off, and turning it on needs `manage.py rebuild_embeddings` once.

Every change raises the search index generation (search/counts.py) and, once committed, is
written to the vectors shared by every process (search/hybrid.sync, search/vectorstore.py): the
changed rows only; each web process sees them on its next search.
"""

from django.conf import settings
from django.db import transaction

from healthpress.articles.models import ArticlePage

from . import hybrid, semantic
from .models import ArticleEmbedding, IndexGeneration

TASK_BATCH = 500  # articles per queued task after a bulk import


def update_embeddings(article_ids):
    """Embed the live articles among `article_ids` whose text changed (or that have none yet),
    and drop the rows of the others (no longer live). Returns how many were embedded."""
    ids = list(article_ids)
    articles = list(ArticlePage.objects.live().filter(pk__in=ids).order_by("pk"))
    stored = dict(
        ArticleEmbedding.objects.filter(article_id__in=ids, model=semantic.MODEL_NAME).values_list(
            "article_id", "text_hash"
        )
    )
    texts = {a.pk: semantic.article_text(a) for a in articles}
    hashes = {pk: semantic.text_hash(text) for pk, text in texts.items()}
    changed = [pk for pk in texts if stored.get(pk) != hashes[pk]]
    vectors = semantic.embed([texts[pk] for pk in changed])
    rows = [
        ArticleEmbedding(
            article_id=pk,
            vector=semantic.to_bytes(vector),
            dimensions=semantic.DIMENSIONS,
            model=semantic.MODEL_NAME,
            text_hash=hashes[pk],
        )
        for pk, vector in zip(changed, vectors, strict=True)
    ]
    gone = set(ids) - set(texts)
    with transaction.atomic():
        if gone:
            ArticleEmbedding.objects.filter(article_id__in=gone).delete()
        if rows:
            ArticleEmbedding.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["vector", "dimensions", "model", "text_hash", "updated_at"],
            )
        if gone or rows:
            raise_generation()
            share([row.article_id for row in rows] + sorted(gone & stored.keys()))
    return len(rows)


def remove_embeddings(article_ids):
    article_ids = list(article_ids)
    if ArticleEmbedding.objects.filter(article_id__in=article_ids).delete()[0]:
        raise_generation()
        share(article_ids)


def share(article_ids):
    """Write these rows to the shared vectors once the change commits (search/hybrid.py)."""
    if article_ids:
        transaction.on_commit(lambda: hybrid.sync(article_ids), robust=True)


def raise_generation():
    """Tell every process that the index changed (the number the public index raises too)."""
    IndexGeneration.advance()


def queue(article_ids):
    """Queue `embed_articles` for these articles once the current transaction commits."""
    from .tasks import embed_articles

    ids = sorted(article_ids)
    for start in range(0, len(ids), TASK_BATCH):
        chunk = ids[start : start + TASK_BATCH]
        transaction.on_commit(lambda chunk=chunk: embed_articles.enqueue(chunk), robust=True)


# --- signals ---------------------------------------------------------------------------------


def on_published(sender, instance, **kwargs):
    from healthpress.articles.content import in_bulk_import

    if kwargs.get("alias") or not settings.SEARCH_SEMANTIC or in_bulk_import():
        return
    queue([instance.pk])


def on_bulk_import_finished(sender, article_ids, **kwargs):
    if settings.SEARCH_SEMANTIC:
        queue(article_ids)


def on_unpublished(sender, instance, **kwargs):
    # Done whether SEARCH_SEMANTIC is on or not: a row left behind would be stale when it is
    # turned on (the search filters by what is live anyway).
    remove_embeddings([instance.pk])


def connect():
    from wagtail.signals import page_published, page_unpublished

    from healthpress.articles.content import bulk_import_finished

    page_published.connect(on_published, sender=ArticlePage, dispatch_uid="search-embed")
    page_unpublished.connect(on_unpublished, sender=ArticlePage, dispatch_uid="search-unembed")
    bulk_import_finished.connect(
        on_bulk_import_finished, sender=ArticlePage, dispatch_uid="search-embed-bulk"
    )
