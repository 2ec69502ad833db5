"""articles/related.py takes a different path by the article's number of tags (none, one,
several), by how many articles carry them and by how full its topic is; every path gives the
ranking the rule defines, here written out in Python over every article (docs/review.md tells it
to editors): from the same topic, of the `candidates` newest articles sharing a tag, the most
shared tags first, then the newest (the id breaking ties); then the topic's newest others; then
other topics' articles by shared tags and age; never the article itself, a draft or a
restricted page."""

import datetime
import random

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from healthpress.articles.content import save_article
from healthpress.articles.models import RELATED_CANDIDATES, RELATED_LIMIT, ArticlePage
from healthpress.articles.related import FEW_TAGGINGS, related_articles
from healthpress.core.site import get_or_create_topic
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db

TAGS = ["sleep", "muscles", "diet"]


def expected_related(article, limit, candidates):
    shown = list(ArticlePage.objects.live().public().exclude(pk=article.pk))
    mine = set(article.tags.names())

    def shared(other):
        return len(mine & set(other.tags.names()))

    def newest(other):
        return (-other.first_published_at.timestamp(), other.pk)

    same = [a for a in shown if a.is_sibling_of(article)]
    window = sorted((a for a in same if shared(a)), key=newest)[: max(limit, candidates)]
    ranked = sorted(window, key=lambda a: (-shared(a), *newest(a)))
    ranked += sorted((a for a in same if not shared(a)), key=newest)
    elsewhere = [a for a in shown if not a.is_sibling_of(article) and shared(a)]
    ranked += sorted(elsewhere, key=lambda a: (-shared(a), *newest(a)))
    return [a.pk for a in ranked[:limit]]


def every_sharer_ranked(article, limit):
    """The rule before the window (issue 27): every sharer of the topic ranked."""
    return expected_related(article, limit, candidates=10**6)


@pytest.mark.parametrize("topic_size", [3, 14])
def test_every_path_gives_the_ranking_of_the_rules(topic, author, topic_size):
    rng = random.Random(topic_size)
    other_topic = get_or_create_topic("Sleep and rest")[0]
    when = timezone.now() - datetime.timedelta(days=100)
    made = []
    for n in range(topic_size + 8):
        tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 3]))
        page = save_article(
            make_article_content(f"Question number {n}?", tags=tags),
            topic=topic if n < topic_size else other_topic,
            author=author,
            publish=n % 9 != 8,  # a draft now and then
        )[0]
        # whole days apart, with ties: the id decides between equal dates
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=when + datetime.timedelta(days=rng.randrange(6))
        )
        made.append(page)
    PageViewRestriction.objects.create(page=made[1], restriction_type="login")
    window_mattered = False
    for page in ArticlePage.objects.live():
        for limit in (2, 4):
            for candidates in (limit, 6, RELATED_CANDIDATES):
                expected = expected_related(page, limit, candidates)
                # few=0: the topic walked newest first, as for a common tag on a big site;
                # the default: the sharers read by their ids, as for rare tags.
                for few in (0, FEW_TAGGINGS):
                    got = [a.pk for a in related_articles(page, limit, candidates, few)]
                    assert got == expected, (page.title, page.tags.names(), limit, candidates, few)
                window_mattered |= expected != every_sharer_ranked(page, limit)
        assert [a.pk for a in page.related_articles()] == expected_related(
            page, RELATED_LIMIT, RELATED_CANDIDATES
        )
    # In the big topic an older article sharing more tags is passed over for the window's
    # newer ones: ranking every sharer, as before, would fail this test.
    assert window_mattered == (topic_size > 6)
