"""An article's title and short answer show under "Related questions" on other topics' articles
that share a tag with it: every change to it (unpublish, a new short answer, a tag taken off)
purges those cached pages too, and only those that can list it."""

import pytest

from healthpress.articles.content import save_article
from healthpress.articles.related import articles_that_may_list
from healthpress.core.site import get_or_create_topic
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db

SLEEPY = "Why do I wake at 3am every night?"


@pytest.fixture(autouse=True)
def cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


@pytest.fixture
def publish(author):
    def publish(question, topic, tags=("sleep",), **extra):
        content = make_article_content(question, tags=list(tags), **extra)
        return save_article(content, topic=topic, author=author, publish=True)[0]

    return publish


@pytest.fixture
def sleep_topic(home):
    return get_or_create_topic("Sleep")[0]


@pytest.fixture
def listing(client, publish, topic, sleep_topic):
    """A cramps article (muscles topic) whose cached page lists the sleep topic's article."""
    sleepy = publish(SLEEPY, sleep_topic, short_answer="Stress hormones peak early.")
    cramps = publish("Why do my legs cramp at night?", topic, tags=("sleep", "muscles"))
    page = client.get(cramps.url)
    assert SLEEPY in page.content.decode() and "Stress hormones peak" in page.content.decode()
    assert client.get(cramps.url)["X-Page-Cache"] == "hit"
    return cramps, sleepy


def test_unpublishing_purges_another_topics_article_that_lists_it(client, listing, committed):
    cramps, sleepy = listing
    with committed():
        sleepy.unpublish()
    response = client.get(cramps.url)
    assert response["X-Page-Cache"] == "miss"
    assert SLEEPY not in response.content.decode()


def test_a_new_short_answer_shows_on_another_topics_article_at_once(
    client, listing, publish, sleep_topic, committed
):
    cramps, _ = listing
    with committed():
        publish(SLEEPY, sleep_topic, short_answer="Cortisol rises before dawn.")
    content = client.get(cramps.url).content.decode()
    assert "Cortisol rises before dawn." in content
    assert "Stress hormones peak" not in content


def test_a_tag_taken_off_purges_the_articles_that_listed_it_through_that_tag(
    client, listing, publish, sleep_topic, committed
):
    cramps, _ = listing
    with committed():
        publish(SLEEPY, sleep_topic, tags=("hormones",), short_answer="Cortisol rises.")
    assert SLEEPY not in client.get(cramps.url).content.decode()


def test_only_articles_whose_topic_leaves_room_can_list_it(publish, topic, sleep_topic, home):
    """A topic with more than RELATED_LIMIT live articles fills its lists with its own."""
    sleepy = publish(SLEEPY, sleep_topic)
    small = publish("Why do my legs cramp at night?", topic)
    busy_topic = get_or_create_topic("Digestion")[0]
    busy = [publish(f"Why does my stomach rumble, case {n}?", busy_topic) for n in range(5)]
    assert list(articles_that_may_list(sleepy)) == [small]
    assert all(sleepy not in b.related_articles() for b in busy)
    busy[1].unpublish()  # four left: each now has room for one more, and may list it
    assert set(articles_that_may_list(sleepy)) == {small, busy[0], *busy[2:]}


def test_finding_them_is_three_queries_whatever_their_number(
    publish, sleep_topic, home, django_assert_num_queries
):
    sleepy = publish(SLEEPY, sleep_topic)
    for name in ("Skin", "Eyes", "Ears"):
        publish(f"Why do my {name.lower()} itch at night?", get_or_create_topic(name)[0])
    # The candidates, the view restrictions Wagtail's public() reads, and one query counting
    # the articles of each topic the candidates sit in.
    with django_assert_num_queries(3):
        assert len(list(articles_that_may_list(sleepy))) == 3
