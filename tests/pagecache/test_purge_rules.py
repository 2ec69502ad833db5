"""The whole-page cache: hits skip the database, and every change that shows on a page purges it."""

import pytest

from healthpress.articles.content import ArticleContent, save_article
from healthpress.core.site import get_or_create_topic
from healthpress.pagecache.front import PageCacheWSGI
from healthpress.pagecache.purge import purge_page
from tests.pagecache.conftest import call_wsgi

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.content.decode()


def test_second_request_is_a_hit_served_without_touching_the_database(
    client, make_article, django_assert_num_queries
):
    page = make_article()
    first = client.get(page.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(page.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "must-revalidate" in second["Cache-Control"]


def test_conditional_request_gets_304(client, make_article):
    page = make_article()
    etag = client.get(page.url)["ETag"]
    response = client.get(page.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_editing_a_live_article_purges_it_and_its_listings(
    client, make_article, topic, author, committed
):
    page = make_article(question="Why do my knees click?", short_answer="Old answer.")
    for url in [page.url, topic.url, "/", author.get_absolute_url()]:
        client.get(url)
    with committed():
        save_article(
            ArticleContent("Why do my knees click?", "New answer."), topic=topic, publish=True
        )
    assert "New answer." in fetch(client, page.url)[1]
    assert "New answer." in fetch(client, "/")[1]
    assert "New answer." in fetch(client, author.get_absolute_url())[1]


def test_new_article_appears_on_topic_home_and_author_pages(
    client, make_article, topic, author, committed
):
    make_article(question="Why do my knees click?")
    for url in [topic.url, "/", author.get_absolute_url(), "/sitemap-pages.xml"]:
        client.get(url)
    with committed():
        new = make_article(question="Why do my ankles swell?")
    for url in [topic.url, "/", author.get_absolute_url()]:
        assert "Why do my ankles swell?" in fetch(client, url)[1], url
    assert new.url in fetch(client, "/sitemap-pages.xml")[1]


def test_unpublished_article_is_gone_at_once(client, make_article, topic, committed):
    page = make_article()
    assert client.get(page.url).status_code == 200
    client.get(topic.url)
    with committed():
        page.unpublish()
    assert client.get(page.url).status_code == 404
    assert page.title not in fetch(client, topic.url)[1]


def test_moved_article_old_address_redirects_instead_of_serving_the_cached_copy(
    client, make_article, home, committed
):
    page = make_article()
    old_url = page.url
    assert client.get(old_url).status_code == 200
    other, _ = get_or_create_topic("Digestion")
    with committed():
        page.move(other, pos="last-child", user=None)
    response = client.get(old_url)
    # Wagtail's redirects app records the move; the cached page must not shadow it.
    assert response.status_code == 301
    assert response["Location"] == f"/digestion/{page.slug}/"


def test_editing_the_author_updates_their_articles_and_author_page(
    client, make_article, author, committed
):
    page = make_article()
    client.get(page.url)
    client.get(author.get_absolute_url())
    author.bio = "Now also a marathon runner."
    with committed():
        author.save()
    assert "marathon runner" in fetch(client, page.url)[1]
    assert "marathon runner" in fetch(client, author.get_absolute_url())[1]


def test_renaming_a_topic_updates_the_navigation_on_every_page(
    client, make_article, topic, committed
):
    page = make_article()
    client.get(page.url)
    topic.title = "Bones and muscles"
    with committed():
        topic.save_revision().publish()
    assert "Bones and muscles" in fetch(client, page.url)[1]


def test_purge_page_drops_the_page_and_its_query_variants_under_every_host(
    client, make_article, settings, committed
):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    page = make_article()
    variants = [
        (page.url, "testserver"),
        (page.url, "localhost"),
        (page.url + "?comment=received", ""),
    ]
    for url, host in variants:
        client.get(url, HTTP_HOST=host or "testserver")
        assert client.get(url, HTTP_HOST=host or "testserver")["X-Page-Cache"] == "hit", url
    with committed():
        purge_page(page)
    for url, host in variants:
        assert client.get(url, HTTP_HOST=host or "testserver")["X-Page-Cache"] == "miss", url


def test_unknown_query_parameters_are_never_cached(client, make_article):
    page = make_article()
    client.get(page.url + "?q=knees")
    assert "X-Page-Cache" not in client.get(page.url + "?q=knees")


def test_tracking_parameters_are_left_out_of_the_key(client, make_article):
    page = make_article()
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    shared = client.get(page.url + "?utm_source=newsletter&fbclid=abc&utm_medium=email")
    assert shared["X-Page-Cache"] == "hit"


def test_logged_in_editors_always_get_fresh_pages(admin_client, make_article):
    page = make_article()
    admin_client.get(page.url)
    response = admin_client.get(page.url)
    assert "X-Page-Cache" not in response


def test_admin_and_drafts_are_never_cached(client, make_article):
    draft = make_article(publish=False)
    client.get(draft.url or "/muscles-bones-and-joints/" + draft.slug + "/")
    assert "X-Page-Cache" not in client.get(f"/muscles-bones-and-joints/{draft.slug}/")
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_wsgi_layer_answers_hits_without_calling_django(client, make_article):
    page = make_article()
    rendered = client.get(page.url).content  # stored by the middleware

    def django_must_not_run(environ, start_response):
        raise AssertionError("a cache hit reached Django")

    app = PageCacheWSGI(django_must_not_run)
    status, headers, body = call_wsgi(app, page.url)
    assert status == "200 OK"
    assert body == rendered
    assert headers["X-Page-Cache"] == "hit"
    assert headers["Content-Length"] == str(len(rendered))
    assert headers["X-Frame-Options"] == "DENY"  # security headers travel with the entry
    status, _, body = call_wsgi(app, page.url, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert (status, body) == ("304 Not Modified", b"")


def test_wsgi_layer_passes_logged_in_and_post_requests_through(make_article, settings):
    seen = []

    def django(environ, start_response):
        seen.append(environ["REQUEST_METHOD"])
        start_response("200 OK", [])
        return [b"fresh"]

    app = PageCacheWSGI(django)
    cookie = f"{settings.SESSION_COOKIE_NAME}=abc"
    assert call_wsgi(app, "/", HTTP_COOKIE=cookie)[2] == b"fresh"
    assert call_wsgi(app, "/", REQUEST_METHOD="POST")[2] == b"fresh"
    assert seen == ["GET", "POST"]


def test_publishing_an_article_purges_feeds_and_related_siblings(
    client, make_article, topic, committed
):
    sibling = make_article(question="Why do my knees click?")
    feeds = ["/feeds/rss/", "/feeds/atom/", f"/feeds/topics/{topic.slug}/rss/"]
    for url in [sibling.url, *feeds]:
        client.get(url)
    with committed():
        make_article(question="Why do my ankles swell?")
    for url in feeds:
        assert "Why do my ankles swell?" in fetch(client, url)[1], url
    assert client.get(sibling.url)["X-Page-Cache"] == "miss"


def test_making_a_page_private_drops_it_and_every_listing_of_it(
    client, make_article, topic, committed
):
    from wagtail.models import PageViewRestriction

    page = make_article(question="Why do my knees click?")
    for url in [page.url, topic.url, "/"]:
        assert client.get(url).status_code == 200
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    response = client.get(page.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for url in [topic.url, "/"]:
        assert "Why do my knees click?" not in fetch(client, url)[1], url
    with committed():
        restriction.delete()  # public again: back in the listings at once
    assert client.get(page.url).status_code == 200
    assert "Why do my knees click?" in fetch(client, topic.url)[1]


def test_changing_the_site_address_updates_canonical_links(
    client, make_article, settings, committed
):
    from wagtail.models import Site

    settings.ALLOWED_HOSTS = ["localhost", "testserver", "answers.example.org"]
    page = make_article()
    site = Site.objects.get(is_default_site=True)
    assert f'rel="canonical" href="{site.root_url}/' in fetch(client, page.url)[1]
    site.hostname, site.port = "answers.example.org", 443
    with committed():
        site.save()
    body = fetch(client, page.url, HTTP_HOST="answers.example.org")[1]
    assert 'rel="canonical" href="https://answers.example.org/' in body
