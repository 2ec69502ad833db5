"""The public search's documents: what of each live, public article the ranking reads.

One PublicDocument per live, public ArticlePage, holding the article's words as Wagtail's search
fields give them (ArticlePage.search_fields): the question in `title`, the rest in `body`, the
same split Wagtail's database backend makes. Documents are written from the article as stored
in its table, which holds the published version of a live page (a draft's changes stay in its
revision), and only for pages that are live and public at the time of writing: a draft, an
unpublished page or one behind a view restriction has no document, so its words count in no
statistic. The stemmed index follows the documents (SQLite: triggers on PublicDocument's table;
PostgreSQL: the tsvector columns written here).
"""

from django.db import connection, transaction
from django.utils.encoding import force_str
from wagtail.search import index

from healthpress.articles.models import ArticlePage

from .models import DocumentCount, IndexGeneration, PublicDocument

WRITE_CHUNK = 500  # documents written per statement


def _text(value):
    # As Wagtail's indexer joins a field's value: lists and dicts become comma-separated text.
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_text(item) for item in value.values())
    return force_str(value)


def _field_texts(obj, fields):
    """(field name, text) of every SearchField, following RelatedFields as Wagtail does."""
    for field in fields:
        if isinstance(field, index.SearchField):
            yield field.field_name, _text(field.get_value(obj))
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            related = related.all() if hasattr(related, "all") else [related]
            for item in related:
                yield from _field_texts(item, field.fields)


def document_text(article):
    """(title, body) of an article, as Wagtail's database backend splits them."""
    title, body = [], []
    for name, text in _field_texts(article, article.get_search_fields()):
        text = text.strip()
        if text:
            (title if name == "title" else body).append(text)
    return " ".join(title), " ".join(body)


def public_articles():
    """The articles the public search indexes: live and public."""
    return ArticlePage.objects.live().public()


def update_documents(article_ids):
    """Bring the documents of these articles in line with the articles as stored: written for
    the live, public ones whose words changed, removed for the others. Raises the index
    generation once when anything changed. Returns (written, removed)."""
    ids = sorted(set(article_ids))
    written = removed = 0
    for start in range(0, len(ids), WRITE_CHUNK):
        chunk = ids[start : start + WRITE_CHUNK]
        articles = public_articles().filter(pk__in=chunk).select_related("author")
        texts = {article.pk: document_text(article) for article in articles}
        stored = {
            pk: (title, body)
            for pk, title, body in PublicDocument.objects.filter(article_id__in=chunk).values_list(
                "article_id", "title", "body"
            )
        }
        changed = [pk for pk, text in texts.items() if stored.get(pk) != text]
        gone = [pk for pk in stored if pk not in texts]
        if not changed and not gone:
            continue
        write_documents({pk: texts[pk] for pk in changed}, gone)
        written += len(changed)
        removed += len(gone)
    return written, removed


def write_documents(texts, gone=()):
    """Store {article id: (title, body)} as documents and remove those of `gone`, in one
    transaction that raises the index generation. Callers decide what is public:
    update_documents() here, and the benchmark's --index-only mode (articles without pages)."""
    with transaction.atomic():
        # Deleted and inserted rather than updated: one path keeps the FTS5 table in step.
        PublicDocument.objects.filter(article_id__in=[*texts, *gone]).delete()
        PublicDocument.objects.bulk_create(
            PublicDocument(article_id=pk, title=title, body=body)
            for pk, (title, body) in texts.items()
        )
        _write_vectors(list(texts))
        # Each document written or removed moves a term's count by one at most.
        IndexGeneration.advance(len({*texts, *gone}))


def remove_documents(article_ids):
    """Remove these articles' documents. The generation is raised even when none was left: a
    deleted article's document is gone before Wagtail calls the backend (CASCADE)."""
    article_ids = set(article_ids)
    with transaction.atomic():
        PublicDocument.objects.filter(article_id__in=article_ids).delete()
        # Counted whether or not a document was left: the CASCADE already removed it.
        IndexGeneration.advance(len(article_ids))


def clear_documents():
    """Empty the index (a rebuild starts here)."""
    with transaction.atomic():
        removed, _ = PublicDocument.objects.all().delete()
        DocumentCount.objects.all().delete()
        IndexGeneration.advance(removed)


def search_config():
    """PostgreSQL's text search configuration for the public index (its backend's
    SEARCH_CONFIG, "english" by default)."""
    from django.conf import settings

    backend = settings.WAGTAILSEARCH_BACKENDS.get("public", {})
    return backend.get("SEARCH_CONFIG", "english")


def _write_vectors(ids):
    if connection.vendor != "postgresql" or not ids:
        return
    from django.contrib.postgres.search import SearchVector

    # No weights: Wagtail's backend gives every ArticlePage field weight D (its weights follow
    # the boosts of every indexed model, and others reach 10), and the ranking was measured so.
    config = search_config()
    PublicDocument.objects.filter(article_id__in=ids).update(
        title_vector=SearchVector("title", config=config),
        body_vector=SearchVector("body", config=config),
    )


def update_under(page):
    """Re-check the documents of the articles at and below `page` (a view restriction on it
    changed): the public ones are written, the others removed."""
    ids = ArticlePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    update_documents(list(ids))


def on_restriction_changed(sender, instance, **kwargs):
    page_id = instance.page_id
    transaction.on_commit(lambda: _update_under_id(page_id), robust=True)


def _update_under_id(page_id):
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        update_under(page)


def connect():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction

    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restricted"
        )
