"""Site-wide values kept per process until the next purge (pagecache/memo.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from healthpress.pagecache import memo
from healthpress.pagecache.purge import purge_all, purge_all_now

pytestmark = pytest.mark.django_db


def test_a_value_is_built_once_until_the_page_cache_is_purged():
    built = []

    def build():
        built.append(1)
        return {"topics": ["Digestion"]}

    assert memo.purge_bound("k", build) == {"topics": ["Digestion"]}
    assert memo.purge_bound("k", build) == {"topics": ["Digestion"]}
    assert len(built) == 1
    purge_all_now()
    memo.purge_bound("k", build)
    assert len(built) == 2


def test_every_caller_gets_a_copy_of_its_own():
    first = memo.purge_bound("k", lambda: {"seen_by": []})
    first["seen_by"].append("one request")
    assert memo.purge_bound("k", lambda: {"seen_by": []}) == {"seen_by": []}


def test_the_number_of_kept_values_is_bounded():
    for n in range(memo.MAX_KEYS * 2):
        memo.purge_bound(("site", f"host{n}.example", 80), lambda n=n: n)
    assert len(memo._kept) <= memo.MAX_KEYS


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries]


def kept_queries(sqls):
    """The review settings, and the topic list (the only topic query ordered by title)."""
    return [
        s
        for s in sqls
        if 'FROM "articles_reviewsettings"' in s or ('"core_topicpage"' in s and "ORDER BY" in s)
    ]


def test_review_settings_and_topics_are_read_once_until_a_purge(client, make_article, committed):
    page = make_article()
    for _ in range(2):  # the first render creates the review settings, which purges
        with committed():
            client.get(page.url)
    assert kept_queries(queries_of(client, page.url)) == []
    with committed():
        purge_all()
    assert len(kept_queries(queries_of(client, page.url))) == 2  # each read once again


def test_a_topic_renamed_or_made_private_leaves_the_header_at_once(
    client, make_article, topic, committed
):
    page = make_article()
    assert "Muscles, bones and joints" in client.get(page.url).content.decode()
    topic.title = "Bones and muscles"
    with committed():
        topic.save_revision().publish()
    header = client.get("/").content.decode().split("</header>")[0]
    assert "Bones and muscles" in header and "Muscles, bones and joints" not in header
    with committed():
        PageViewRestriction.objects.create(page=topic, restriction_type=PageViewRestriction.LOGIN)
    header = client.get("/").content.decode().split("</header>")[0]
    assert "Bones and muscles" not in header


def test_review_settings_edited_show_on_the_next_render(client, make_article, committed):
    """The review settings are kept until the next purge, which saving them causes."""
    from healthpress.articles.models import ReviewSettings

    settings = ReviewSettings.for_site(Site.objects.get(is_default_site=True))
    page = make_article()
    assert settings.disclaimer in client.get(page.url).content.decode()
    settings.disclaimer = "Ask your own doctor before acting on anything here."
    with committed():
        settings.save()
    assert settings.disclaimer in client.get(page.url).content.decode()


def test_topic_links_are_kept_per_site(home, topic):
    """On its own site a topic's link is relative; on another site it is a full address."""
    from django.test import RequestFactory
    from wagtail.models import Page

    from healthpress.core.models import HomePage
    from healthpress.core.templatetags.healthpress_tags import topic_links

    root = Page.objects.get(depth=1)
    other_home = root.add_child(instance=HomePage(title="Other charity", slug="other-home"))
    own = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="other.example", port=80, root_page=other_home)

    def links_on(site):
        request = RequestFactory().get("/", HTTP_HOST=site.hostname)
        return {title: url for _, title, url in topic_links(request)}

    for _ in range(2):  # kept lists must not leak from one site to the other, in either order
        assert (
            links_on(own)[topic.title]
            == topic.get_url(current_site=own)
            == "/muscles-bones-and-joints/"
        )
        assert links_on(other)[topic.title] == topic.full_url


def test_a_site_address_edited_reaches_the_next_renders_links(client, make_article, committed):
    """Wagtail's site root paths (every page link and canonical address) are kept too."""
    page = make_article()
    for _ in range(2):
        client.get(page.url)
    site = Site.objects.get(is_default_site=True)
    assert f'rel="canonical" href="{site.root_url}/' in client.get(page.url).content.decode()
    site.port = 8080
    with committed():
        site.save()
    expected = f'rel="canonical" href="http://{site.hostname}:8080/'
    assert expected in client.get(page.url).content.decode()
