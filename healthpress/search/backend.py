"""The public search as a Wagtail search backend: `WAGTAILSEARCH_BACKENDS["public"]`.

`default` stays Wagtail's database backend, so the admin still finds drafts and private pages.
`public` answers readers (/search/, /ask/'s matching step, the partner API):

    ArticlePage.objects.live().public().search(text, backend="public")

Indexing: Wagtail calls every backend on each save and delete of an indexed object (through its
task queue), at the end of the importer's bulk_import(), and in `update_index`; this backend
keeps a PublicDocument for each live, public article (search/documents.py) and ignores every
other model. A view restriction added or removed re-indexes the articles under it (apps.py).

Searching: the reader's words are prepared (search/preprocess.py, synonyms.py), ranked on the
backend's own index (ranking.py, with hybrid.py when SEARCH_SEMANTIC is on), and the queryset
given decides what may be returned, in rank order. The queryset's filters are applied by the
ORM, so any filter works (Wagtail's FilterField check is not needed).
"""

# Wagtail's docs describe configuring backends, not writing one: no documented base class
# exists, so this builds on the module Wagtail's own backends build on (modelsearch's base,
# re-exported by Wagtail).
from wagtail.search.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
)

from healthpress.articles.models import ArticlePage
from healthpress.core.models import in_id_order

from . import documents


def _articles(model, objects):
    if not issubclass(model, ArticlePage):
        return []
    return [obj.pk for obj in objects]


class PublicIndex(BaseIndex):
    def add_items(self, model, items):
        ids = _articles(model, items)
        if ids:
            documents.update_documents(ids)

    def delete_item(self, item):
        ids = _articles(type(item), [item])
        if ids:
            documents.remove_documents(ids)

    def reset(self):
        documents.clear_documents()


class PublicRebuilder:
    """`update_index`: the documents are rewritten in place (unchanged ones are skipped), then
    those of articles no longer live and public are removed."""

    def __init__(self, index):
        self.index = index

    def start(self):
        return self.index

    def finish(self):
        stale = documents.PublicDocument.objects.exclude(
            article_id__in=documents.public_articles().values("pk")
        ).values_list("article_id", flat=True)
        if stale := list(stale):
            documents.remove_documents(stale)


class PublicQueryCompiler(BaseSearchQueryCompiler):
    def __init__(self, queryset, query, options=None, **kwargs):
        super().__init__(queryset, query, **kwargs)
        self.text = query
        self.options = options
        self._ranked = None

    def check(self):
        pass  # the queryset is filtered by the ORM, not by the index

    def ranked(self):
        """(prepared query, terms, ids of the queryset's objects best first), computed once
        for every slice and count of these results."""
        if self._ranked is None:
            from .service import ranked_candidates

            prepared, terms, candidates = ranked_candidates(self.text, self.options)
            visible = set(self.queryset.filter(pk__in=candidates).values_list("pk", flat=True))
            self._ranked = (prepared, terms, [pk for pk in candidates if pk in visible])
        return self._ranked


class PublicSearchResults(BaseSearchResults):
    @property
    def prepared_query(self):
        return self.query_compiler.ranked()[0]

    @property
    def terms(self):
        """What was searched for, synonyms included (the snippets mark these)."""
        return self.query_compiler.ranked()[1]

    def _do_search(self):
        ids = self.query_compiler.ranked()[2][self.start : self.stop]
        return in_id_order(self.query_compiler.queryset, ids)

    def _do_count(self):
        return len(self.query_compiler.ranked()[2][self.start : self.stop])


class PublicSearchBackend(BaseSearchBackend):
    index_class = PublicIndex
    rebuilder_class = PublicRebuilder
    query_compiler_class = PublicQueryCompiler
    results_class = PublicSearchResults

    def search(
        self,
        query,
        model_or_queryset,
        fields=None,
        operator=None,
        order_by_relevance=True,
        options=None,
    ):
        """As Wagtail's `search()`; `options` (service.SearchOptions) are the benchmark's
        switches."""
        return self._search(
            self.query_compiler_class,
            query,
            model_or_queryset,
            fields=fields,
            operator=operator,
            order_by_relevance=order_by_relevance,
            options=options,
        )


SearchBackend = PublicSearchBackend
