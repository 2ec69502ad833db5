"""The admin's search backend (`WAGTAILSEARCH_BACKENDS["default"]`): Wagtail's database backend
for the database in use, as `wagtail.search.backends.database` chooses it, with two changes.

- On SQLite, the ranking in one pass of search/sqlite_one_pass.py.
- On both, a query keeps its first MAX_WORDS words (FirstWords): modelsearch nests one
  expression per word and compiles them recursively, and about 500 words overflowed Python's
  stack, a 500 error in the admin (tests/search/test_admin_search.py).
"""

import functools

from django.db import connection
from modelsearch.query import And, Or, PlainText

MAX_WORDS = 100


def first_words(query):
    """`query` with its first MAX_WORDS words: a string, a plain-text query (what the admin's
    parse_query_string makes of one), or the first MAX_WORDS parts of an And or an Or."""
    if isinstance(query, str):
        return " ".join(query.split()[:MAX_WORDS])
    if isinstance(query, PlainText):
        return PlainText(first_words(query.query_string), query.operator, query.boost)
    if isinstance(query, (And, Or)):
        return type(query)([first_words(part) for part in query.subqueries[:MAX_WORDS]])
    return query


class FirstWords:
    """A search backend mixin: a query keeps its first MAX_WORDS words."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = first_words(query)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


@functools.cache
def _postgres_backend():
    # Imported when used, as modelsearch's own chooser does.
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    class FirstWordsPostgresSearchBackend(FirstWords, PostgresSearchBackend):
        pass

    return FirstWordsPostgresSearchBackend


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks for in a backend module)
    if connection.vendor == "sqlite":
        from .sqlite_one_pass import OnePassRankingSQLiteBackend

        return OnePassRankingSQLiteBackend(params)
    return _postgres_backend()(params)
