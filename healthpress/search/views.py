from django.conf import settings
from django.shortcuts import render

from healthpress.core.clients import client_key
from healthpress.core.models import TopicPage, with_topics
from healthpress.core.navigation import live_topics
from healthpress.core.ratelimit import over_limit, retry_after

from .preprocess import MAX_QUERY_CHARS
from .service import MAX_RESULTS, promotions_for, search_articles, suggested_articles
from .snippets import snippet

PER_PAGE = 10
MAX_PAGE = MAX_RESULTS // PER_PAGE


def page_number(value):
    """?page=N as a number from 1 to MAX_PAGE; anything else is page 1, never an error."""
    try:
        return min(max(int(str(value)[:4]), 1), MAX_PAGE)
    except ValueError:
        return 1


def search(request):
    """GET /search/?q=...: works without JavaScript; the answer is never a 500 for odd input.
    A network that searches faster than SEARCH_RATE_LIMITS allow gets a readable 429."""
    limits = settings.SEARCH_RATE_LIMITS
    if limits and request.GET.get("q") and over_limit("search", client_key(request), limits):
        response = render(request, "search/rate_limited.html", status=429)
        response["Retry-After"] = str(retry_after(limits))
        return response
    raw = request.GET.get("q", "")
    number = page_number(request.GET.get("page", "1"))
    outcome = search_articles(raw, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    if outcome.total and not outcome.articles and number > 1:
        # Past the last page (an old link): show the last one rather than an empty page.
        number = (outcome.total - 1) // PER_PAGE + 1
        outcome = search_articles(raw, offset=(number - 1) * PER_PAGE, limit=PER_PAGE, log=False)
    articles = with_topics(outcome.articles, TopicPage.objects.all())
    for article in articles:
        article.search_snippet = snippet(article.short_answer, outcome.terms)
    pages = (outcome.total - 1) // PER_PAGE + 1 if outcome.total else 0
    context = {
        "query": outcome.query.text,
        "searched": bool(outcome.query.text),
        "truncated": outcome.query.truncated,
        "max_query_chars": MAX_QUERY_CHARS,
        "articles": articles,
        "total": outcome.total,
        "capped": outcome.total >= MAX_RESULTS,
        "page_number": number,
        "pages": pages,
        "first_rank": (number - 1) * PER_PAGE + 1,
        "promotions": promotions_for(outcome.query.text) if number == 1 else [],
    }
    if context["searched"] and not outcome.total:
        context["topics"] = live_topics()
        context["suggestions"] = suggested_articles()
    return render(request, "search/search.html", context)
