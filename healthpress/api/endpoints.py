"""The partner API, /api/v1/: a NinjaAPI of our own, read-only, public articles only.

Not Wagtail's API v3 (`wagtail.api.v3.urls`): it has write endpoints and lists what a token's
user may edit, and its pages are raw fields. Every operation here is a GET; any other method on
these paths answers 405 (Ninja's path views). The views are thin: they check their parameters,
ask data.py for the answer and caching.py to serve it.
"""

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, HttpError
from pydantic import BeforeValidator

from healthpress.core.site import site_root_url

from . import data
from .auth import KEY_HEADER, KeyRateLimit, api_auth
from .caching import answer
from .models import Withdrawal
from .schemas import (
    Article,
    ArticleList,
    Error,
    Manifest,
    SearchResults,
    TopicList,
    WithdrawnList,
)

MANIFEST_MAX = 1000
LIST_MAX = 100
SEARCH_MAX = 50
SLUG = r"^[-\w]+$"


def iso_8601(value):
    """A date and time as ISO 8601 writes it: not a bare number, which pydantic would read as
    seconds since 1970."""
    if isinstance(value, str) and not re.match(r"\d{4}-\d\d-\d\d", value):
        raise ValueError("expected an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(iso_8601)]
MODIFIED_SINCE = Query(None, description="Changed at or after this time (ISO 8601; UTC if none).")
WITHDRAWN_SINCE = Query(
    None, description="Withdrawn at or after this time (ISO 8601; UTC if no offset)."
)

DESCRIPTION = f"""Medically reviewed health answers for partners: apps, clinics, other sites.

Send your key in the `{KEY_HEADER}` header. Answers carry `ETag` and `Last-Modified`: revalidate
with `If-None-Match` and get 304 when nothing changed. Keep the attribution, refresh your copies
as the licence's `refresh_days` says, and remove the articles `/withdrawn` lists. See docs/api.md.
"""

api = NinjaAPI(
    title="HealthPress partner API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="partner_api",
    auth=api_auth(),
    throttle=[KeyRateLimit()],
    docs_url=None,  # Ninja's docs page loads its script from a CDN: the JSON document is enough
    openapi_url="/openapi.json",
)

ERRORS = {400: Error, 401: Error, 403: Error, 422: Error, 429: Error}


def only(request, *names):
    """Refuse a query parameter the operation does not take, or one given twice: each answer
    is kept under its exact query, so a stray parameter would only make copies of it."""
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        takes = ", ".join(names) or "none"
        raise HttpError(400, f"Unknown query parameter: {', '.join(unknown)} (takes: {takes}).")
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        raise HttpError(400, f"Give each query parameter once: {', '.join(repeated)}.")


@api.exception_handler(AuthenticationError)
def no_key(request, exc):
    return api.create_response(
        request, {"detail": f"Send your API key in the {KEY_HEADER} header."}, status=401
    )


@api.get(
    "/articles/{article_id}",
    response={200: Article, 304: None, 404: Error, 410: Error, **ERRORS},
    url_name="article",
    summary="One article",
)
def article(request, article_id: int = Path(..., ge=1, le=data.MAX_ID)):
    """A live article with every block as plain text and sanitised HTML, its people, dates,
    references, licence and JSON-LD. 410 when it was withdrawn (see /withdrawn)."""
    only(request)

    def build():
        try:
            page = data.find_article(article_id)
        except data.Withdrawn:
            raise HttpError(410, "This article was withdrawn: remove your copy.") from None
        if page is None:
            raise HttpError(404, "No live article with this id.")
        return data.article_detail(page, request)

    return answer(request, build)


def page_links(request, number, has_next):
    def link(n):
        query = request.GET.copy()
        query["page"] = str(n)
        return f"{site_root_url(request)}{request.path}?{urlencode(sorted(query.items()))}"

    return (link(number + 1) if has_next else None), (link(number - 1) if number > 1 else None)


@api.get(
    "/articles",
    response={200: ArticleList, 304: None, 404: Error, **ERRORS},
    url_name="articles",
    summary="Lists: by topic, A–Z, changed since",
)
def articles(
    request,
    topic: str | None = Query(None, pattern=SLUG, max_length=100, description="A topic's slug."),
    letter: str | None = Query(
        None,
        pattern=r"^[A-Za-z]$",
        description="A–Z: articles whose condition (or, without one, question) starts so.",
    ),
    modified_since: IsoDateTime | None = MODIFIED_SINCE,
    overdue: bool = Query(False, description="Only articles past their review date (today)."),
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(50, ge=1, le=LIST_MAX),
):
    """Articles ordered A–Z by condition (or question); with `modified_since`, oldest change
    first. To keep a full copy, page through /manifest instead."""
    only(request, "topic", "letter", "modified_since", "overdue", "page", "per_page")

    def build():
        found = data.article_list(
            topic=topic, letter=letter, modified_since=modified_since, overdue=overdue
        )
        if found is None:
            raise HttpError(404, "No such topic.")
        count = found.count()
        start = (page - 1) * per_page
        rows = list(found[start : start + per_page])
        if not rows and page > 1:
            raise HttpError(404, "No such page of this list.")
        next_url, previous_url = page_links(request, page, start + per_page < count)
        return {
            "count": count,
            "page": page,
            "next": next_url,
            "previous": previous_url,
            "results": data.summaries(rows, request),
        }

    # "Overdue" changes with the date, not with a publish: never kept (caching.py).
    return answer(request, build, keep=not overdue)


@api.get(
    "/topics",
    response={200: TopicList, 304: None, **ERRORS},
    url_name="topics",
    summary="Topics",
)
def topics(request):
    """Every public topic with the number of its live articles."""
    only(request)

    def build():
        return {"results": data.topic_list(request)}

    return answer(request, build)


def after_link(request, last_id):
    query = request.GET.copy()
    query["after"] = str(last_id)
    return f"{site_root_url(request)}{request.path}?{urlencode(sorted(query.items()))}"


@api.get(
    "/manifest",
    response={200: Manifest, 304: None, **ERRORS},
    url_name="manifest",
    summary="Every live article: id, URL, modified, next review",
)
def manifest(
    request,
    after: int = Query(0, ge=0, le=data.MAX_ID, description="The cursor: an id from `next`."),
    limit: int = Query(MANIFEST_MAX, ge=1, le=MANIFEST_MAX),
):
    """Every live article by id, `limit` at a time: follow `next` until it is null. Compare
    `modified` with your copy to know what to fetch again."""
    only(request, "after", "limit")

    def build():
        entries, more = data.manifest_page(after, limit)
        return {
            "next": after_link(request, entries[-1]["id"]) if more else None,
            "results": entries,
        }

    return answer(request, build)


@api.get(
    "/withdrawn",
    response={200: WithdrawnList, 304: None, **ERRORS},
    url_name="withdrawn",
    summary="Articles unpublished or deleted since a date",
)
def withdrawn(
    request,
    since: IsoDateTime | None = WITHDRAWN_SINCE,
    after: int = Query(0, ge=0, le=data.MAX_ID, description="The cursor: an id from `next`."),
    limit: int = Query(MANIFEST_MAX, ge=1, le=MANIFEST_MAX),
):
    """Articles you must remove: unpublished or deleted (each answers 410 by id), by id."""
    only(request, "since", "after", "limit")

    def build():
        rows = Withdrawal.objects.filter(page_id__gt=after).order_by("page_id")
        if since is not None:
            rows = rows.filter(withdrawn_at__gte=data.aware(since))
        rows = list(rows[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        return {
            "next": after_link(request, rows[-1].page_id) if more else None,
            "results": data.withdrawn_entries(rows),
        }

    return answer(request, build)


@api.get(
    "/search",
    response={200: SearchResults, 304: None, **ERRORS},
    url_name="search",
    summary="The site's search",
)
def search(
    request,
    q: str = Query(..., min_length=1, max_length=200, description="A question, in any words."),
    limit: int = Query(10, ge=1, le=SEARCH_MAX),
):
    """The articles the site's own search finds for `q`, best first."""
    only(request, "q", "limit")

    def build():
        return {"query": q, "results": data.summaries(data.search(q, limit), request)}

    return answer(request, build, keep=False)  # a reader's words: never kept
