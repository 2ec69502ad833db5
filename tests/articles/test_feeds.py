"""RSS 2.0 and Atom feeds, read back with a real feed parser."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from healthpress.articles.content import save_article
from healthpress.core.site import get_or_create_topic
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def articles(make_article, author):
    """Three articles published on different days, plus one in another topic and one draft."""
    made = []
    for n, day in enumerate([3, 1, 2]):
        page = make_article(f"Question number {n}?")
        page.first_published_at = timezone.make_aware(datetime.datetime(2026, 5, day, 9))
        page.save(update_fields=["first_published_at"])
        made.append(page)
    other = save_article(
        make_article_content("Why do I wake at 4am?"),
        topic=get_or_create_topic("Sleep")[0],
        author=author,
        publish=True,
    )[0]
    other.first_published_at = timezone.make_aware(datetime.datetime(2026, 4, 1, 9))
    other.save(update_fields=["first_published_at"])
    make_article("An unfinished draft?", publish=False)
    return made, other


def test_site_rss_is_rss_2_newest_first(client, articles):
    response, feed = parse(client, "/feeds/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Question number 0?",
        "Question number 2?",
        "Question number 1?",
        "Why do I wake at 4am?",
    ]
    first = feed.entries[0]
    made, _ = articles
    assert first.link == made[0].full_url
    assert first.summary == "Mostly tired muscles."
    assert first.author_detail.name == "Dana Okafor, MD" or "Dana Okafor, MD" in first.author
    assert first.tags[0].term == "Muscles, bones and joints"
    assert first.published_parsed[:3] == (2026, 5, 3)


def test_site_atom_is_atom_1(client, articles):
    response, feed = parse(client, "/feeds/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert len(feed.entries) == 4
    assert feed.entries[0].title == "Question number 0?"
    assert feed.entries[0].author == "Dana Okafor, MD"
    assert feed.entries[0].updated_parsed is not None


def test_topic_feeds_list_only_their_topic(client, articles, topic):
    for kind, version in (("rss", "rss20"), ("atom", "atom10")):
        _, feed = parse(client, f"/feeds/topics/{topic.slug}/{kind}/")
        assert feed.version == version
        assert feed.feed.title == "HealthPress: Muscles, bones and joints"
        assert "Why do I wake at 4am?" not in [e.title for e in feed.entries]
        assert len(feed.entries) == 3
    _, sleep = parse(client, "/feeds/topics/sleep/rss/")
    assert [e.title for e in sleep.entries] == ["Why do I wake at 4am?"]


def test_feeds_are_capped(client, make_article, settings):
    settings.FEED_ITEMS = 2
    for n in range(3):
        make_article(f"Q{n}?")
    _, feed = parse(client, "/feeds/rss/")
    assert len(feed.entries) == 2


@pytest.mark.parametrize("slug", ["no-such-topic", "x" * 300, "%2e%2e"])
def test_unknown_topic_feed_is_404(client, topic, slug):
    assert client.get(f"/feeds/topics/{slug}/rss/").status_code == 404


def test_hostile_titles_are_escaped_in_the_feed(client, make_article):
    make_article("Is <script>alert(1)</script> & co safe?", short_answer="<b>bold</b> & more")
    response, feed = parse(client, "/feeds/rss/")
    assert b"<script>" not in response.content
    assert feed.entries[0].title == "Is <script>alert(1)</script> & co safe?"


def test_empty_site_feed_is_valid(client, home):
    _, feed = parse(client, "/feeds/rss/")
    assert feed.entries == []
