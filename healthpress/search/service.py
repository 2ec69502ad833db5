"""search_articles(): the one search function. The search page and the benchmark both call it."""

import hashlib
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from healthpress.articles.models import ArticlePage

from . import synonyms
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
    options = options or SearchOptions()
    prepared, terms = query_terms(query, options)
    outcome = SearchOutcome(query=prepared, terms=terms)
    semantic = settings.SEARCH_SEMANTIC if options.semantic is None else options.semantic
    if terms:
        candidates = _hybrid_candidates(prepared, terms) if semantic else cached_ranking(terms)
        outcome.articles, outcome.total = _page(candidates, offset, limit)
    outcome.took_ms = (time.perf_counter() - started) * 1000
    if log and prepared.text:
        log_search(prepared.text[:MAX_LOGGED_QUERY], outcome.total, round(outcome.took_ms, 2))
    return outcome


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


def _page(candidates, offset, limit):
    """One page of the live, public articles among `candidates` (ids, best first), and how many
    there are (capped)."""
    # The index also holds drafts and private pages (the admin searches them): keep what a
    # reader may see, in rank order.
    visible = set(article_queryset().filter(pk__in=candidates).values_list("pk", flat=True))
    ordered = [pk for pk in candidates if pk in visible]
    page_ids = ordered[offset : offset + limit]
    pages = article_queryset().filter(pk__in=page_ids).select_related("author")
    by_pk = {page.pk: page for page in pages}
    return [by_pk[pk] for pk in page_ids if pk in by_pk], len(ordered)


def promotions_for(text):
    """Editors' picks (Wagtail search promotions) for this exact query, live pages only.

    Looked up without creating a Query row: a row per distinct reader query would grow forever.
    """
    from wagtail.contrib.search_promotions.models import SearchPromotion
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
