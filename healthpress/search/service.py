"""search_articles(): the search page's search, through the `public` search backend
(search/backend.py), with its log and timing. The benchmark calls it too; /ask/ and the partner
API search the same backend through Wagtail's `.search(text, backend="public")`."""

import hashlib
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from wagtail.search.backends import get_search_backend

from healthpress.articles.models import ArticlePage

from . import synonyms
from .backend import PublicSearchResults
from .log import log_search
from .models import MAX_LOGGED_QUERY
from .preprocess import PreparedQuery, prepare_query
from .ranking import ranked_ids

logger = logging.getLogger(__name__)

MAX_RESULTS = 200  # a reader never pages past this; it bounds the work for very broad queries


@dataclass
class SearchOptions:
    """Switches the benchmark flips to measure each step; the page always uses the defaults."""

    drop_stopwords: bool = True
    use_synonyms: bool = True
    semantic: bool | None = None  # hybrid ranking; None: as settings.SEARCH_SEMANTIC says


@dataclass
class SearchOutcome:
    query: PreparedQuery
    terms: list = field(default_factory=list)  # what was searched for, synonyms included
    articles: list = field(default_factory=list)  # ArticlePage, best first, this page only
    total: int = 0
    took_ms: float = 0.0


def article_queryset():
    """What a reader may find: live, public articles."""
    return ArticlePage.objects.live().public()


def query_terms(query, options=None):
    """The cleaned query and the terms to search for: filler dropped, synonyms added."""
    options = options or SearchOptions()
    prepared = prepare_query(query, drop_stopwords=options.drop_stopwords)
    terms = prepared.terms
    if terms and options.use_synonyms:
        terms = synonyms.expand(prepared.words, terms)
    return prepared, terms


def search_articles(query, *, offset=0, limit=10, log=True, options=None):
    """Articles answering `query` (a reader's words, question or whole message), best first.

    The reader's words are cleaned and trimmed of question words and filler, widened with the
    editors' synonyms, and ORed: BM25 ranking rewards articles that share more of them. With
    SEARCH_SEMANTIC on, the articles nearest in meaning are fused in (search/hybrid.py). `log`
    counts the search in SearchLog (no personal data).
    """
    started = time.perf_counter()
    queryset = article_queryset().select_related("author")
    results = get_search_backend("public").search(query, queryset, options=options)
    if isinstance(results, PublicSearchResults):
        prepared, terms = results.prepared_query, results.terms
        articles, total = list(results[offset : offset + limit]), results.count()
    else:  # Wagtail's EmptySearchResults: an empty query string
        (prepared, terms), articles, total = query_terms(query, options), [], 0
    outcome = SearchOutcome(query=prepared, terms=terms, articles=articles, total=total)
    outcome.took_ms = (time.perf_counter() - started) * 1000
    if log and prepared.text:
        log_search(prepared.text[:MAX_LOGGED_QUERY], outcome.total, round(outcome.took_ms, 2))
    return outcome


def ranked_candidates(query, options=None):
    """(the prepared query, the terms searched for, the ids of the candidate articles best
    first, at most MAX_RESULTS): the public backend's ranking. Who may see each candidate is
    decided afterwards, by the queryset searched."""
    options = options or SearchOptions()
    prepared, terms = query_terms(query, options)
    if not terms:
        return prepared, terms, []
    semantic = settings.SEARCH_SEMANTIC if options.semantic is None else options.semantic
    candidates = _hybrid_candidates(prepared, terms) if semantic else cached_ranking(terms)
    return prepared, terms, candidates


def cached_ranking(terms):
    """The ranked candidates for `terms`, from a short cache: a repeated query (the next page, a
    reload, the same popular question) costs no ranking. Only ids are kept; who may see each
    article is checked afresh on every search, so an unpublished article leaves the results at
    once, and a new one joins them within SEARCH_CACHE_SECONDS."""
    key = "search:" + hashlib.blake2b(repr(terms).encode(), digest_size=16).hexdigest()
    candidates = cache.get(key)
    if candidates is None:
        candidates = ranked_ids(ArticlePage, terms, MAX_RESULTS)
        cache.set(key, candidates, timeout=settings.SEARCH_CACHE_SECONDS)
    return candidates


def _hybrid_candidates(prepared, terms):
    """SEARCH_SEMANTIC: the BM25 candidates fused with the nearest articles by meaning
    (search/hybrid.py), at most MAX_RESULTS. The query's meaning is taken from the reader's
    whole cleaned text: over the benchmark corpus it did better than the words without filler
    on three of four query forms (docs/search.md)."""
    from . import hybrid, semantic

    lexical = cached_ranking(terms)
    try:
        neighbours = hybrid.nearest(prepared.text, article_queryset)
    except semantic.ModelUnavailable:
        # A broken install must not take the search page down: the word ranking still answers.
        logger.exception("hybrid search unavailable; searching by words only")
        neighbours = []
    return hybrid.fuse(lexical, neighbours)[:MAX_RESULTS]


def promotions_for(text):
    """Editors' picks (Wagtail search promotions) for this exact query, live pages only.

    Looked up without creating a Query row: a row per distinct reader query would grow forever.
    """
    from wagtail.contrib.search_promotions.models import SearchPromotion

    # Undocumented module, kept on purpose: no documented API finds a query's promotions
    # without creating a Query row (Query.get() and the get_search_promotions tag both do, a
    # row per distinct reader query), and this is the normalisation Query.get() applies.
    from wagtail.search.utils import normalise_query_string

    if not text:
        return []
    picks = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(text)
    ).select_related("page")
    return [
        p
        for p in picks
        if p.page is None or (p.page.live and p.page.get_view_restrictions().count() == 0)
    ]


def suggested_articles(count=5):
    """For a search that found nothing: the answers editors promote most, then the newest."""
    from django.db.models import Count

    from healthpress.core.models import live_articles

    promoted = list(
        article_queryset()
        .filter(searchpromotion__isnull=False)
        .annotate(picks=Count("searchpromotion"))
        .order_by("-picks", "title")[:count]
    )
    seen = {a.pk for a in promoted}
    newest = [a for a in live_articles()[: count * 2] if a.pk not in seen]
    return (promoted + newest)[:count]
