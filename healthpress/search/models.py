"""What editors tune (synonym groups) and what readers searched for (the search log)."""

import re

from django.core.exceptions import ValidationError
from django.db import models

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
    """One row (pk 1): a number that goes up whenever Wagtail's search index changes.

    Database triggers on wagtailsearch_indexentry (migration search.0004) raise it in the same
    transaction as the change, whichever process makes it (the task worker, update_index, a
    shell), so a DocumentCount counted at an older generation is never used.
    """

    generation = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "search index generation"

    def __str__(self):
        return f"search index generation {self.generation}"


class DocumentCount(models.Model):
    """How many index entries of a content type contain a search term: the ranking's document
    frequencies, counted once per index generation instead of on every search.

    `term` "" holds the number of entries of the content type. Rows of an older generation are
    stale: they are ignored, and deleted when fresh counts are stored.
    """

    content_type_id = models.PositiveIntegerField()
    term = models.CharField(max_length=300)
    documents = models.PositiveIntegerField()
    generation = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type_id", "term"], name="search_count_term")
        ]

    def __str__(self):
        return f"{self.term or '(all)'}: {self.documents} (generation {self.generation})"


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
