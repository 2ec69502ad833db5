"""core/privacy.py must find the view restrictions Wagtail's own lookup finds, for every page."""

import pytest
from wagtail.models import Page, PageViewRestriction

from healthpress.articles.content import save_article
from healthpress.core.site import get_or_create_topic
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db


def wagtail_answer(page):
    return sorted(Page.get_view_restrictions(page).values_list("pk", flat=True))


def ours(page):
    return sorted(r.pk for r in page.specific.get_view_restrictions())


def restrict(page, kind=PageViewRestriction.LOGIN):
    return PageViewRestriction.objects.create(page=page, restriction_type=kind)


def every_page():
    return [page.specific for page in Page.objects.filter(depth__gt=1)]


def test_the_same_restrictions_as_wagtail_at_every_level(home, make_article):
    public = make_article("Public question?")
    private = make_article("Private question?")
    other_topic = get_or_create_topic("Sleep")[0]
    restrict(private)
    restrict(private, PageViewRestriction.PASSWORD)  # two on one page
    restrict(other_topic)
    assert ours(public) == [] and ours(private) and ours(other_topic)
    for page in every_page():
        assert ours(page) == wagtail_answer(page), page
    restrict(home)  # a restriction on the home page covers everything
    for page in every_page():
        assert ours(page) == wagtail_answer(page) != [], page


def test_aliases_are_resolved_as_wagtail_resolves_them(home, topic, make_article, author):
    article = make_article("Aliased question?")
    elsewhere = get_or_create_topic("Sleep")[0]
    alias = article.create_alias(parent=elsewhere, update_slug="aliased-copy")
    topic_alias = topic.create_alias(parent=home, update_slug="topic-copy", recursive=True)
    # A page of its own under an alias: its ancestor's restrictions come from the alias's source.
    under_alias = save_article(
        make_article_content("Under an alias?"), topic=topic_alias.specific, author=author
    )[0]
    assert not under_alias.alias_of_id
    restrict(article)  # the source's restriction applies to its alias, not the alias's own
    restrict(elsewhere)
    restrict(topic)
    assert ours(under_alias) == wagtail_answer(under_alias) != []
    pages = [alias.specific, topic_alias.specific, *topic_alias.get_children().specific()]
    for page in pages + every_page():
        assert ours(page) == wagtail_answer(page), page


def test_a_public_page_costs_one_query_and_a_private_one_two(
    make_article, django_assert_num_queries
):
    public, private = make_article("Public?"), make_article("Private?")
    restrict(private)
    with django_assert_num_queries(1):
        restrictions = public.get_view_restrictions()
        assert not restrictions and list(restrictions) == []
    with django_assert_num_queries(2):
        assert [r.restriction_type for r in private.get_view_restrictions()] == ["login"]
    # Still a QuerySet: the admin's privacy views order and test it.
    assert private.get_view_restrictions().order_by("-page__depth").exists()


def test_private_articles_are_still_refused_to_readers(client, make_article):
    private = make_article("Private?")
    restrict(private)
    response = client.get(private.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
