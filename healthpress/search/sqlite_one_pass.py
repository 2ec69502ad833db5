"""Wagtail's SQLite search backend ranking its matches in one FTS5 pass (`WAGTAILSEARCH_BACKENDS
["default"]` on SQLite: the admin's searches; PostgreSQL keeps Wagtail's own backend).

modelsearch 1.3.2 (the newest release) orders by relevance through a correlated scalar subquery:
for each matching page it runs the FTS5 MATCH again with `bm25()` restricted to that page, so the
cost grows with the square of the matches. Here the same match and the same rank expression are
read once, as a query over the index entries limited to the caller's queryset, ordered by score
and then by -pk as Wagtail orders them, and cut to the requested page; the caller's queryset then
fetches those rows in that order. Results, order and `_score` are Wagtail's. At 100,000 articles
(docs/performance.md, "Admin search at 100,000 articles", old/new pairs, load 1.4-2.9) the
admin's search for "diabetes" (870 title matches) went from 1.12-1.24 s to 0.32-0.36 s, its
ranking from 0.81-0.87 s to 15-18 ms; "cancer" (2,537 matches) from 13-19 s to 0.54-0.80 s.

Everything else goes to modelsearch unchanged: counts and facets (asked for without a page, and
a count needs no score), `order_by_relevance=False`, negated queries and MatchAll, and models
whose primary key is not an integer (the tie-break orders the index's text ids as numbers).
A query keeps its first words, as on PostgreSQL (search/admin_backend.py chooses this backend).
"""

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from .admin_backend import FirstWords


def _integer_pk(model):
    pk = model._meta.pk
    if pk.is_relation:  # a multi-table child's pk is its link to the parent row
        pk = pk.target_field
    return isinstance(pk, IntegerField)


class OnePassRanking:
    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        if (
            not self.order_by_relevance
            or stop is None
            or isinstance(query, (MatchAll, Not))
            or not _integer_pk(self.queryset.model)
        ):
            return super().search(config, start, stop, score_field=score_field)

        # The match and the rank expression as modelsearch builds them in its search().
        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
        )
        ranked = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(
                    self.queryset.model
                ),
                index_entry__object_id__in=self.queryset.values("pk"),
            )
            .annotate(
                score=self._build_rank_expression(self.get_search_vectors(), config),
                object_pk=Cast("index_entry__object_id", IntegerField()),
            )
            .order_by("score", "-object_pk")
            .values_list("object_pk", "score")[start:stop]
        )
        scores = dict(ranked)
        if not scores:
            return self.queryset.none()
        position = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(scores)))
        score = Case(*(When(pk=pk, then=Value(s)) for pk, s in scores.items()))
        return (
            self.queryset.filter(pk__in=scores)
            .annotate(**{score_field or "_score": score})
            .order_by(position)
        )


class OnePassSearchQueryCompiler(OnePassRanking, SQLiteSearchQueryCompiler):
    pass


class OnePassAutocompleteQueryCompiler(OnePassRanking, SQLiteAutocompleteQueryCompiler):
    pass


class OnePassRankingSQLiteBackend(FirstWords, SQLiteSearchBackend):
    query_compiler_class = OnePassSearchQueryCompiler
    autocomplete_query_compiler_class = OnePassAutocompleteQueryCompiler

