"""What editors tune (synonym groups), what readers searched for (the search log), and the
public search's own index (PublicDocument, its term counts and its generation number)."""

import re

from django.core.exceptions import ValidationError
from django.db import connection, models

if connection.vendor == "postgresql":
    # As modelsearch's own index entry: the tsvector columns exist on PostgreSQL only.
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVectorField

MAX_LOGGED_QUERY = 255
TERM = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def split_terms(text):
    """The words and phrases of a synonym group: comma- or newline-separated, lower-cased."""
    terms = []
    for part in re.split(r"[,\n;]", text or ""):
        words = TERM.findall(part.casefold())
        phrase = " ".join(words)
        if phrase and phrase not in terms:
            terms.append(phrase)
    return terms


class Synonym(models.Model):
    """Words readers and writers use for the same thing, e.g. “cramp, spasm, charley horse”.

    A query that contains any of the terms also looks for the others, so a reader who types
    “charley horse” finds the article on cramps.
    """

    terms = models.TextField(
        help_text="Two or more words or phrases that mean the same thing to a reader, separated "
        "by commas, e.g. “cramp, spasm, charley horse”.",
    )
    note = models.CharField(
        max_length=255, blank=True, help_text="Optional: why this group exists, for other editors."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = "synonym group"

    def __str__(self):
        return ", ".join(self.term_list())

    def save(self, *args, **kwargs):
        # Stored normalised, so the admin list reads the same way the search uses the group.
        self.terms = ", ".join(self.term_list())
        super().save(*args, **kwargs)

    def term_list(self):
        return split_terms(self.terms)

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError(
                {"terms": "Give at least two words or phrases, separated by commas."}
            )


class SearchLogQuerySet(models.QuerySet):
    def without_results(self):
        return self.filter(result_count=0)

    def frequent(self):
        """One row per query text: how often it was searched, and when last."""
        return (
            self.values("query")
            .annotate(searches=models.Count("id"), last_searched=models.Max("searched_at"))
            .order_by("-searches", "-last_searched")
        )


class SearchLog(models.Model):
    """One search: what was asked, how many articles it found, how long it took.

    No personal data: no IP address, user, session or cookie is stored, only the query text the
    reader typed (cut to 255 characters) and the time.
    """

    query = models.CharField(max_length=MAX_LOGGED_QUERY, db_index=True)
    result_count = models.PositiveIntegerField()
    took_ms = models.FloatField(help_text="Time the search took, in milliseconds.")
    searched_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = SearchLogQuerySet.as_manager()

    class Meta:
        ordering = ["-searched_at"]
        verbose_name = "search"
        indexes = [models.Index(fields=["result_count", "searched_at"])]

    def __str__(self):
        return f"{self.query!r}: {self.result_count} results"


class IndexGeneration(models.Model):
    """One row (pk 1): two numbers that go up with the public search's index.

    `generation` goes up with every change of the index: the public backend (search/backend.py)
    raises it in the same transaction as each change of its documents, and search/embeddings.py
    with each change of an embedding, so each process knows when to reload its vectors
    (search/hybrid.py).

    `changed_documents` counts the documents written or removed since the index began, raised
    in the same transaction by how many documents each change touched (embeddings change no
    word, so they leave it alone). A term's document count moves by at most one per document
    changed, so a DocumentCount taken when this stood at c is off by at most (now - c): the
    rule of search/counts.py for reusing it.
    """

    generation = models.BigIntegerField(default=0)
    changed_documents = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "search index generation"

    def __str__(self):
        return f"search index generation {self.generation}"

    @classmethod
    def advance(cls, changed_documents=0):
        """Tell every process that the index changed, and how many documents the change
        wrote or removed (none for an embedding)."""
        cls.objects.filter(pk=1).update(
            generation=models.F("generation") + 1,
            changed_documents=models.F("changed_documents") + changed_documents,
        )


class DocumentCount(models.Model):
    """How many public documents contain a search term: the ranking's document frequencies,
    kept instead of counted on every search.

    `term` "" holds the number of documents; `content_type_id` is the model ranked (ArticlePage).
    `changed_documents` is IndexGeneration.changed_documents when the count was taken: how far
    the count may have drifted since is the difference, and search/counts.py reuses a count
    only while that stays within a small share of it. A row past that share is counted again
    when next searched, and deleted whenever counts are stored, since the difference only grows.
    """

    content_type_id = models.PositiveIntegerField()
    term = models.CharField(max_length=300)
    documents = models.PositiveIntegerField()
    changed_documents = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type_id", "term"], name="search_count_term")
        ]

    def __str__(self):
        return f"{self.term or '(all)'}: {self.documents} (at change {self.changed_documents})"


class ArticleEmbedding(models.Model):
    """A live article's meaning as a vector (search/semantic.py): part of the search index.

    Written after the article's publish commits (search/embeddings.py), deleted on unpublish and
    with the article. `text_hash` identifies the text and model it was computed from, so an
    unchanged article is not embedded again.
    """

    article = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    vector = models.BinaryField(help_text="float32 little-endian, L2-normalised.")
    dimensions = models.PositiveSmallIntegerField()
    model = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "article embedding"

    def __str__(self):
        return f"embedding of article {self.article_id} ({self.model})"


class PublicDocument(models.Model):
    """One live, public article as the public search ranks it: its question (`title`) and the
    rest of what Wagtail's search fields give (`body`: short answer, condition, headings, body,
    author), as plain text. Written only by the public backend (search/backend.py), from the
    article as stored (a draft's words never reach it), and removed when the article stops
    being live or public.

    The words are indexed in tables of the search app's own, which no other app writes:
    - SQLite: an FTS5 table named `<db_table>_fts` with one column per TEXT_FIELDS entry, in
      that order, kept in step with this table by triggers on this table (migration
      search.0006), with FTS5's Porter stemmer;
    - PostgreSQL: the tsvector columns below (english stemming, GIN-indexed), written with the
      text.
    """

    TEXT_FIELDS = ("title", "body")  # the FTS5 columns, in table order

    article = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    title = models.TextField()
    body = models.TextField(blank=True)

    if connection.vendor == "postgresql":
        title_vector = SearchVectorField(null=True)
        body_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "public search document"
        if connection.vendor == "postgresql":
            indexes = [
                GinIndex(fields=["title_vector"], name="search_doc_title_gin"),
                GinIndex(fields=["body_vector"], name="search_doc_body_gin"),
            ]

    def __str__(self):
        return f"public search document of article {self.article_id}"

    @classmethod
    def fts_table(cls):
        """SQLite: the FTS5 table holding this table's words."""
        return f"{cls._meta.db_table}_fts"

    @classmethod
    def fts_columns(cls):
        return [cls._meta.get_field(name).column for name in cls.TEXT_FIELDS]
