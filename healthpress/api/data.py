"""What the API says about articles, topics and people: plain dicts, ready for JSON.

Only live, public articles are ever read (`published_articles()`); only the live version of a
page (the page row, never a draft revision or the draft title); of people, what their author
page shows (never their admin account or email). The JSON-LD is the page's own, from
articles/structured_data.py.
"""

from datetime import UTC
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.models import Page, Site

from healthpress.articles.models import DEFAULT_DISCLAIMER, ArticlePage, ReviewSettings
from healthpress.articles.structured_data import article_data, web_url
from healthpress.core.models import TopicPage, with_topics
from healthpress.core.pages import every_page
from healthpress.core.site import site_root_url

from .blocks import Context, body_blocks
from .models import ReuseTerms, Withdrawal

MAX_ID = 2**31 - 1  # page ids are 32-bit in every database Wagtail supports
# Fields a listing needs: the body and references stay in the database.
SUMMARY_FIELDS = (
    "id",
    "title",
    "short_answer",
    "condition_name",
    "url_path",
    "path",
    "depth",
    "first_published_at",
    "last_published_at",
    "last_reviewed",
    "next_review_due",
)


def published_articles():
    """What partners may see: live articles outside any private (view-restricted) area."""
    return ArticlePage.objects.live().public()


class Withdrawn(Exception):
    """The article was live and no longer is to partners: they must remove their copy (410)."""


def find_article(article_id):
    """The live, public article with this id, with its author, reviewer and lead image (joined:
    one query for all); None when there is none; `Withdrawn` for one that was taken down
    (models.Withdrawal)."""
    page = (
        published_articles()
        .select_related("author", "reviewer", "lead_image")
        .filter(pk=article_id)
        .first()
        if article_id <= MAX_ID
        else None
    )
    if page is None and Withdrawal.objects.filter(page_id=article_id).exists():
        raise Withdrawn(article_id)
    return page


def aware(moment):
    """A partner's date and time, UTC when it names no offset."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def article_list(*, topic=None, letter=None, modified_since=None, overdue=False):
    """Live, public articles for the lists: A–Z by condition (or, without one, question), or
    oldest change first with `modified_since`. None when `topic` names no public topic."""
    found = published_articles().only(*SUMMARY_FIELDS)
    if topic is not None:
        parent = TopicPage.objects.live().public().filter(slug=topic).first()
        if parent is None:
            return None
        found = found.child_of(parent)
    found = found.annotate(sort_name=Lower(Coalesce(NullIf("condition_name", Value("")), "title")))
    if letter is not None:
        found = found.filter(sort_name__startswith=letter.lower())
    if overdue:
        found = found.filter(next_review_due__lt=today())
    if modified_since is not None:
        return found.filter(last_published_at__gte=aware(modified_since)).order_by(
            F("last_published_at").asc(nulls_first=True), "pk"
        )
    return found.order_by("sort_name", "pk")


def api_url(request, name, *args):
    return site_root_url(request) + reverse(f"partner_api:{name}", args=args)


def embed_url(request, article_id):
    return site_root_url(request) + reverse("embed", args=[article_id])


def iso(value):
    return value.isoformat() if value else None


def person(person, request):
    if person is None:
        return None
    return {
        "name": person.name,
        "credentials": person.credentials,
        "display_name": person.display_name,
        "job_title": person.job_title,
        "role": person.role,
        "bio": person.bio,
        "url": site_root_url(request) + person.get_absolute_url(),
    }


def topic_summary(topic, request):
    if topic is None:
        return None
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "title": topic.title,
        "url": topic.get_full_url(request),
    }


def reference(number, value):
    return {
        "number": number,
        "title": value["title"],
        "authors": value.get("authors") or None,
        "publisher": value.get("publisher") or None,
        "year": value.get("year") or None,
        "url": web_url(value.get("url")) or None,
        "accessed": iso(value.get("accessed")),
    }


def site_for(request):
    return Site.find_for_request(request)


def terms_for(request):
    return ReuseTerms.for_site(site_for(request))


def disclaimer_for(request):
    site = site_for(request)
    return ReviewSettings.for_site(site).disclaimer if site else DEFAULT_DISCLAIMER


def attribution(page, url, terms):
    values = {
        "site": _site_name(),
        "author": page.author.display_name if page.author else _site_name(),
        "reviewer": page.reviewer.display_name if page.reviewer else "our medical reviewers",
        "url": url,
        "last_reviewed": page.last_reviewed.isoformat() if page.last_reviewed else "not yet",
    }
    try:
        return terms.attribution.format(**values)
    except (KeyError, IndexError, ValueError):  # an editor's unknown {name}: shown as typed
        return terms.attribution


def _site_name():
    return settings.WAGTAIL_SITE_NAME


def licence(page, url, terms):
    return {
        "name": terms.licence,
        "url": terms.licence_url or None,
        "attribution": attribution(page, url, terms),
        "refresh_days": terms.refresh_days,
    }


def dates(page):
    return {
        "published": iso(page.first_published_at),
        "modified": iso(page.last_published_at),
        "updated": iso(page.last_updated),
        "last_reviewed": iso(page.last_reviewed),
        "next_review": iso(page.next_review_due),
    }


def article_detail(page, request):
    """Everything about one live article (fetched with its author and reviewer)."""
    topic = TopicPage.objects.parent_of(page).first()  # specific, in one query
    url = page.get_full_url(request)
    terms = terms_for(request)
    return {
        "id": page.pk,
        "question": page.title,
        "short_answer": page.short_answer,
        "condition": page.condition_name or None,
        "url": url,
        "canonical_url": url,
        "embed_url": embed_url(request, page.pk),
        "api_url": api_url(request, "article", page.pk),
        "topic": topic_summary(topic, request),
        "tags": sorted(tag.name for tag in page.tags.all()),
        "author": person(page.author, request),
        "reviewer": person(page.reviewer, request) if page.last_reviewed else None,
        "dates": dates(page),
        "body": body_blocks(page, Context(site_root_url(request))),
        "references": [reference(n, value) for n, value in page.reference_list()],
        "disclaimer": disclaimer_for(request),
        "licence": licence(page, url, terms),
        "json_ld": article_data(page, request, topic),
    }


def topics_by_path():
    return list(TopicPage.objects.only("id", "slug", "title", "path", "url_path", "depth"))


def summaries(articles, request, topics=None):
    """Short entries for lists and search results, with each article's topic slug."""
    articles = with_topics(articles, topics if topics is not None else topics_by_path())
    return [
        {
            "id": page.pk,
            "question": page.title,
            "short_answer": page.short_answer,
            "condition": page.condition_name or None,
            "url": page.get_full_url(request),
            "api_url": api_url(request, "article", page.pk),
            "topic": page.listed_topic.slug if page.listed_topic else None,
            "modified": iso(page.last_published_at),
            "last_reviewed": iso(page.last_reviewed),
            "next_review": iso(page.next_review_due),
        }
        for page in articles
    ]


def topic_list(request):
    """Every public topic with the number of its live, public articles: one aggregate counts
    each topic's children (Wagtail's child_of()), whatever the number of articles."""
    topics = list(TopicPage.objects.live().public().order_by("title", "pk"))
    counts = (
        published_articles().aggregate(
            **{
                str(topic.pk): Count("pk", filter=Q(pk__in=Page.objects.child_of(topic)))
                for topic in topics
            }
        )
        if topics
        else {}
    )
    return [
        {
            "id": topic.pk,
            "slug": topic.slug,
            "title": topic.title,
            "intro": topic.intro,
            "url": topic.get_full_url(request),
            "article_count": counts[str(topic.pk)],
            "articles_url": api_url(request, "articles") + "?" + urlencode({"topic": topic.slug}),
        }
        for topic in topics
    ]


def search(text, limit):
    """Live, public articles for `text`, best first, from the site's search: the `public`
    search backend the search app configures (beside this app in the layers, so not
    imported), searched on what partners may see."""
    text = text.replace("\x00", " ")
    return list(published_articles().search(text, backend="public")[:limit])


def manifest_page(after, limit):
    """The manifest's entries for the live, public articles whose id follows `after`, `limit` at
    most, and whether more follow.

    Two range scans on the two tables' primary keys rather than one join: PostgreSQL joined the
    page and article tables by walking one of them from its first row whatever the cursor, as
    the bound held on one side of the join only (EXPLAIN ANALYZE at 50,000 articles: 60-90 ms a
    page, growing with the cursor; now about 1 ms each wherever it is). The pages are the same
    set as `published_articles()`, read as Page rows.
    """
    pages = list(
        every_page()
        .live()
        .public()
        .type(ArticlePage)
        .filter(id__gt=after)
        .order_by("id")
        .values_list("id", "url_path", "last_published_at")[: limit + 1]
    )
    more, pages = len(pages) > limit, pages[:limit]
    if not pages:
        return [], False
    reviews = dict(
        ArticlePage.objects.filter(pk__gte=pages[0][0], pk__lte=pages[-1][0])
        .order_by()
        .values_list("pk", "next_review_due")
    )
    url = full_url_finder()
    entries = [
        {"id": pk, "url": url(path), "modified": iso(modified), "next_review": iso(reviews.get(pk))}
        for pk, path, modified in pages
    ]
    return entries, more


def full_url_finder():
    """`url(url_path)`: a page's full URL as `Page.get_full_url()` gives it (the first of
    Wagtail's site root paths that holds it, most specific first, and the `wagtail_serve`
    route), without a page instance.

    Why not page instances: building 1,000 ArticlePage objects and asking each for its URL cost
    56 ms of CPU a manifest page, over half the budget of a 100,000-article manifest; this way
    the whole page costs 17 (bench/bench_api.py; tests/api/test_endpoints.py compares every URL
    with Wagtail's). With WAGTAIL_I18N_ENABLED a page's URL also depends on its locale, so there
    Wagtail's own method is used.
    """
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        by_path = {}

        def url(url_path):
            if url_path not in by_path:
                page = Page.objects.only("url_path", "locale").get(url_path=url_path)
                by_path[url_path] = page.get_full_url()
            return by_path[url_path]

        return url
    roots = Site.get_site_root_paths()
    # reverse("wagtail_serve") once: its prefix, then each page's path quoted as reverse() quotes
    # an argument (reversing per page was another 20 ms a manifest page).
    prefix = reverse("wagtail_serve", args=("",))

    def url(url_path):
        for root in roots:
            if url_path.startswith(root.root_path):
                relative = quote(url_path[len(root.root_path) :], safe=RFC3986_SUBDELIMS + "/~:@")
                return root.root_url + prefix + relative
        return None

    return url


def withdrawn_entries(withdrawals):
    return [
        {
            "id": row.page_id,
            "url": row.url or None,
            "reason": row.reason,
            "withdrawn_at": iso(row.withdrawn_at),
        }
        for row in withdrawals
    ]


def today():
    return timezone.localdate()
