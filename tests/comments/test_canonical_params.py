"""An article answers 200 only to the comment-block URLs our own links write (block_state.py):
another spelling of the same state redirects to it, anything else is a 404, never a 200 the page
cache would keep, never a 500."""

import random
import string
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.models import PageViewRestriction

from healthpress.comments.models import Comment, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_pages(article, approved):
    """51 top-level comments (two pages of the block), the first with a reply."""
    first = approved("First one")
    reply = approved("A reply", parent=first)
    for n in range(50):
        approved(f"Filler {n}")
    return first, reply


def status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize(
    "query",
    [
        "",
        "cpage=2",
        "corder=newest",
        "cpage=2&corder=newest",
        "corder=newest&cpage=2",  # the cache files both under one sorted key
        "comment=received",
        "comment=received&corder=newest",
        "reply={first}",
        "utm_source=mail&cpage=2",  # not a parameter the cache keeps: not this rule's business
    ],
)
def test_canonical_urls_answer_200(client, article, two_pages, query):
    first, _ = two_pages
    url = f"{article.url}?{query.format(first=first.pk)}" if query else article.url
    assert status(client, url) == 200


def test_canonical_urls_show_what_they_name(client, article, two_pages):
    first, _ = two_pages
    page2 = client.get(f"{article.url}?cpage=2").content.decode()
    assert "Filler 49" in page2 and "First one" not in page2
    newest = client.get(f"{article.url}?corder=newest").content.decode()
    assert newest.index("Filler 49") < newest.index("Filler 10")
    replying = client.get(f"{article.url}?reply={first.pk}").content.decode()
    assert f'name="reply_to" value="{first.pk}"' in replying
    received = client.get(f"{article.url}?comment=received").content.decode()
    assert "awaiting moderation" in received


@pytest.mark.parametrize(
    "query, target",
    [
        ("cpage=1", ""),
        ("corder=oldest", ""),
        ("cpage=1&corder=oldest", ""),
        ("corder=newest&cpage=1", "?corder=newest"),
        ("corder=oldest&cpage=2", "?cpage=2"),
        ("comment=received&cpage=1&corder=newest", "?comment=received&corder=newest"),
        ("reply={reply}", "?reply={first}"),
        ("reply={reply}&corder=oldest", "?reply={first}"),
        ("utm_source=mail&cpage=1", "?utm_source=mail"),
    ],
)
def test_another_spelling_redirects_permanently_to_the_canonical_url(
    client, article, two_pages, query, target
):
    first, reply = two_pages
    response = client.get(f"{article.url}?{query.format(first=first.pk, reply=reply.pk)}")
    assert response.status_code == 301
    assert response["Location"] == article.url + target.format(first=first.pk)
    assert status(client, response["Location"]) == 200


HOSTILE = [
    "cpage=abc",
    "cpage=0",
    "cpage=-1",
    "cpage=01",
    "cpage=+2",
    "cpage=2.0",
    "cpage=%202",
    "cpage=%EF%BC%92",  # a full-width 2: int() reads it
    "cpage=",
    "cpage",
    "cpage=3",  # past the last page
    "cpage=99999999999999999999",
    "cpage=" + "9" * 5000,
    "cpage=2&cpage=3",
    "cpage=2&cpage=2",
    "corder=%3Cscript%3Ealert(1)%3C/script%3E",
    "corder=<script>",
    "corder=NEWEST",
    "corder=",
    "corder=newest&corder=newest",
    "corder=" + "x" * 5000,
    "comment=x",
    "comment=RECEIVED",
    "comment=received&comment=received",
    "reply=999999",
    "reply=0",
    "reply=-1",
    "reply=abc",
    "reply=%00",
    "reply=%FF%FE",
    "reply=" + "9" * 30,
    "reply=1e3",
    "cpage=1&corder=junk",  # junk wins over a respelling: no redirect to another junk URL
    "corder=oldest&reply=999999",
    "cpage=%00%0d%0aLocation:%20http://evil.example/",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_values_are_a_404(client, article, two_pages, query):
    assert status(client, f"{article.url}?{query}") == 404


def test_a_second_page_that_does_not_exist_is_a_404(client, article, approved):
    approved("The only comment")
    assert status(client, f"{article.url}?cpage=2") == 404
    assert status(client, f"{article.url}?cpage=2&corder=newest") == 404


def test_without_comments_only_the_bare_page_exists(client, article):
    assert status(client, f"{article.url}?cpage=2") == 404
    assert status(client, f"{article.url}?cpage=1") == 301


def test_reply_must_name_a_comment_readers_see_on_this_article(
    client, article, approved, make_article
):
    other = make_article("Why do my knees click?")
    elsewhere = Comment.objects.create(
        article=other, name="Eve", body="On another article", status=Status.APPROVED
    )
    pending = Comment.objects.create(
        article=article, name="Pat", body="Waiting", status=Status.PENDING
    )
    rejected = Comment.objects.create(
        article=article, name="Rex", body="Rejected", status=Status.REJECTED
    )
    orphan = approved("Approved reply under a rejected comment", parent=rejected)
    for comment in (elsewhere, pending, rejected, orphan):
        assert status(client, f"{article.url}?reply={comment.pk}") == 404, comment.body
    assert status(client, f"{other.url}?reply={elsewhere.pk}") == 200


def test_kept_parameters_an_article_does_not_use_are_a_404(client, article):
    unused = set(settings.PAGE_CACHE_QUERY_PARAMS) - {"cpage", "corder", "comment", "reply"}
    assert unused, "the page cache keeps no other parameter"
    for name in unused:
        assert status(client, f"{article.url}?{name}=2") == 404, name


def test_unknown_parameters_never_break_the_page(client, article, two_pages):
    for query in ("foo=%3Cscript%3E", "x=" + "y" * 3000, "%FF=%FE", "a=1&a=2&a=3"):
        assert status(client, f"{article.url}?{query}") == 200, query


def test_a_private_article_asks_for_a_login_before_looking_at_the_query(client, article):
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(f"{article.url}?cpage=abc")
    assert response.status_code == 302
    assert "login" in response["Location"]


def random_junk(rng):
    """A value no link of ours writes for any of the kept parameters."""
    kind = rng.randrange(5)
    if kind == 0:
        return "".join(rng.choices(string.ascii_letters, k=rng.randint(9, 40)))
    if kind == 1:
        return "0" + "".join(rng.choices(string.digits, k=rng.randint(1, 12)))
    if kind == 2:
        return str(rng.randint(10**6, 10**20))
    if kind == 3:
        return "-" + str(rng.randint(1, 10**9))
    return "".join(rng.choices(string.punctuation + "éß€✓ \t", k=rng.randint(1, 60)))


def stored_entries():
    """How many entries the pages cache holds, where the backend lets us count (LocMemCache)."""
    store = getattr(caches["pages"], "_cache", None)
    return len(store) if isinstance(store, dict) else None


def test_random_values_leave_the_page_cache_empty(
    client, page_cache_on, article, approved, topic, author
):
    approved("Hello")
    pages = [article.url, topic.url, "/", author.get_absolute_url()]
    names = sorted(settings.PAGE_CACHE_QUERY_PARAMS)
    for url in pages:  # the cache may keep a few entries per path (a version key, the clock)
        assert client.get(f"{url}?{names[0]}=%00").status_code == 404
    before = stored_entries()
    rng = random.Random(13)
    urls = []
    for _ in range(500):
        query = urlencode([(rng.choice(names), random_junk(rng))])
        url = f"{rng.choice(pages)}?{query}"
        response = client.get(url)
        assert response.status_code in (301, 302, 404), (url, response.status_code)
        urls.append(url)
    for url in urls[:50]:
        again = client.get(url)
        assert again.status_code != 200 and again.get("X-Page-Cache") != "hit", url
    if before is not None:  # nothing kept per value: 500 requests add no entry
        assert stored_entries() == before <= 4 * len(pages)
    # The cache is on: a canonical URL is stored and served again.
    client.get(f"{article.url}?comment=received")
    assert client.get(f"{article.url}?comment=received")["X-Page-Cache"] == "hit"
