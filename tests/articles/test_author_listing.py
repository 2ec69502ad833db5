"""An author's articles newest first from the article table (ArticlePage.objects.newest_first):
the copy of Wagtail's first-published date it sorts by is kept on every path that writes it."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from healthpress.articles.models import ArticlePage
from healthpress.core.models import live_articles

pytestmark = pytest.mark.django_db


def assert_dates_copied():
    """Every article's copy is its page's date (the publish-path tests call this too)."""
    rows = list(ArticlePage.objects.values_list("first_published_at", "first_published_copy"))
    assert rows and all(page == copy for page, copy in rows), rows


def listed(person):
    return list(person.articles.newest_first().values_list("pk", flat=True))


def test_the_author_listing_follows_the_rule_of_every_listing(make_article, author):
    """The same articles in the same order as `live_articles()` (live, public, newest first,
    the id breaking ties), with a draft, an unpublished and a restricted article about."""
    old, tied_a, tied_b, newest = (make_article(f"Question {n}?") for n in range(4))
    when = timezone.now() - datetime.timedelta(days=30)
    for page, days in ((old, 0), (tied_a, 5), (tied_b, 5), (newest, 9)):
        page.first_published_at = when + datetime.timedelta(days=days)
        page.save(update_fields=["first_published_at"])  # as Wagtail's copy of a live page
    make_article("A draft?", publish=False)
    make_article("Withdrawn?").unpublish()
    PageViewRestriction.objects.create(page=make_article("Staff only?"), restriction_type="login")
    assert listed(author) == [newest.pk, tied_a.pk, tied_b.pk, old.pk]
    assert listed(author) == list(
        live_articles().filter(author=author).values_list("pk", flat=True)
    )
    assert_dates_copied()


def test_the_copy_cannot_be_set_by_hand(make_article):
    article = make_article()
    article.first_published_copy = timezone.now() + datetime.timedelta(days=400)
    article.save()
    assert_dates_copied()


def test_republishing_keeps_the_first_date(make_article):
    article = make_article()
    first = article.first_published_at
    article.unpublish()
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.first_published_copy == first
    assert_dates_copied()


def test_bulk_import_copies_the_dates_it_is_given(topic, author):
    from tests.articles.test_bulk_import import bulk_items, import_in_bulk

    items = bulk_items(3, author=author)
    items[1].published_at = datetime.datetime(2019, 4, 2, 9, 15)
    import_in_bulk(items, topic, batch_size=2, via="test")
    assert_dates_copied()
    assert listed(author)[-1] == ArticlePage.objects.get(first_published_at__year=2019).pk


def test_the_author_page_lists_newest_first_across_pages(client, settings, make_article, author):
    settings.ARTICLES_PER_PAGE = 2
    made = [make_article(f"Question {n}?") for n in range(3)]
    first = client.get(author.get_absolute_url()).content.decode()
    second = client.get(author.get_absolute_url() + "?page=2").content.decode()
    assert made[2].title in first and made[1].title in first and made[0].title not in first
    assert made[0].title in second
