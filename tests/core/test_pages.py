"""Every page model's `public()` (core/pages.py) against Wagtail's own, and what it costs."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, get_page_models

from healthpress.articles.models import ArticlePage
from healthpress.core.models import HomePage, TopicPage
from healthpress.core.pages import HealthPressPageQuerySet, KnownRestrictions
from healthpress.core.site import get_or_create_topic
from healthpress.pagecache import memo

pytestmark = pytest.mark.django_db

PROJECT_PAGE_MODELS = [m for m in get_page_models() if m.__module__.startswith("healthpress.")]


def test_every_project_page_model_lists_through_the_join_free_queryset():
    # A page model added later with Wagtail's default manager would scan the page table again.
    assert {m.__name__ for m in PROJECT_PAGE_MODELS} >= {"HomePage", "TopicPage", "ArticlePage"}
    for model in PROJECT_PAGE_MODELS:
        assert isinstance(model.objects.all(), HealthPressPageQuerySet), model


def restrict(page, kind, **extra):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name=f"Clinicians of {page.slug}"))
    return restriction


@pytest.fixture
def restricted_tree(topic, make_article):
    """Open and restricted areas: a password-protected topic with an article that has its own
    login restriction too (nested), a login-only and a groups-only article in an open topic, and
    an open topic beside the private one."""
    make_article("Why do my legs cramp at night?")
    login_only = make_article("Why do my knees click?")
    groups_only = make_article("Why does my ankle swell?")
    private_topic, _ = get_or_create_topic("Private clinic notes")
    neighbour, _ = get_or_create_topic("Private clinic notes extra")
    restrict(private_topic, PageViewRestriction.PASSWORD, password="letmein")
    restrict(login_only, PageViewRestriction.LOGIN)
    restrict(groups_only, PageViewRestriction.GROUPS)
    nested = private_topic.add_child(
        instance=ArticlePage(
            title="Why does my wrist ache?", slug="wrist", short_answer="Strain.", live=True
        )
    )
    restrict(nested, PageViewRestriction.LOGIN)
    private_topic.add_child(
        instance=ArticlePage(title="Why do I sneeze?", slug="sneeze", short_answer="Dust.")
    )
    neighbour.add_child(
        instance=ArticlePage(title="Why do I yawn?", slug="yawn", short_answer="Tired.")
    )


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("model", [Page, HomePage, TopicPage, ArticlePage])
def test_public_and_not_public_are_wagtails_own_on_a_tree_with_private_areas(
    restricted_tree, model
):
    wagtails = Page.objects.type(model) if model is not Page else Page.objects.all()
    ours = HealthPressPageQuerySet(model)
    assert ids(ours.public()) == ids(wagtails.public())
    assert ids(ours.not_public()) == ids(wagtails.not_public())
    assert ids(ours.private()) == ids(wagtails.private())
    assert ids(ours.live().public()) == ids(wagtails.live().public())
    if model is ArticlePage:
        titles = set(ArticlePage.objects.public().values_list("title", flat=True))
        assert titles == {
            "Why do my legs cramp at night?",
            "Why do I yawn?",
        }


def test_public_reads_the_restrictions_once_without_a_join_then_keeps_them(make_article):
    make_article()
    with CaptureQueriesContext(connection) as queries:
        public = ArticlePage.objects.live().public()
    [query] = queries  # as many as Wagtail's own public(), the first time
    assert "JOIN" not in query["sql"].upper()
    assert ids(public) == ids(ArticlePage.objects.live())
    with CaptureQueriesContext(connection) as queries:
        TopicPage.objects.live().public()
    assert len(queries) == 0  # kept until the next purge


def test_with_restrictions_too_one_query_then_none(restricted_tree):
    memo.forget()  # as after a purge
    with CaptureQueriesContext(connection) as queries:
        ArticlePage.objects.live().public()
    [query] = queries
    assert "JOIN" not in query["sql"].upper()
    with CaptureQueriesContext(connection) as queries:
        ArticlePage.objects.live().public()
    assert len(queries) == 0


def test_what_is_kept_follows_restrictions_added_removed_and_moved(
    restricted_tree, make_article, committed
):
    """Each change that alters the private areas purges the page cache, which drops what was
    kept: never a listing or an API answer from an old picture of them."""
    open_article = ArticlePage.objects.get(title="Why do my legs cramp at night?")
    assert open_article.pk in ids(ArticlePage.objects.public())  # kept from here on
    with committed():
        restriction = restrict(open_article, PageViewRestriction.PASSWORD, password="x")
    assert open_article.pk not in ids(ArticlePage.objects.public())
    # Moved under an open topic, a restricted page stays private (its tree path changed).
    neighbour = TopicPage.objects.get(title="Private clinic notes extra")
    with committed():
        open_article.move(neighbour, pos="last-child")
    assert open_article.pk not in ids(ArticlePage.objects.public())
    assert ids(ArticlePage.objects.public()) == ids(Page.objects.type(ArticlePage).public())
    with committed():
        restriction.delete()
    assert open_article.pk in ids(ArticlePage.objects.public())
    # A page moved into a private area is private at once (its path starts with the area's).
    private_topic = TopicPage.objects.get(title="Private clinic notes")
    with committed():
        open_article.move(private_topic, pos="last-child")
    assert open_article.pk not in ids(ArticlePage.objects.public())


def test_every_project_page_model_answers_view_restrictions_from_what_is_kept():
    for model in PROJECT_PAGE_MODELS:
        assert issubclass(model, KnownRestrictions), model


def test_view_restrictions_cost_no_query_on_a_site_without_any(make_article):
    article = make_article()
    list(article.get_view_restrictions())  # the private areas kept (none)
    with CaptureQueriesContext(connection) as queries:
        assert not article.get_view_restrictions()
    assert len(queries) == 0


def test_view_restrictions_are_wagtails_own_once_any_exists(restricted_tree):
    memo.forget()
    for page in Page.objects.all().specific():
        assert ids(page.get_view_restrictions()) == ids(Page.get_view_restrictions(page)), page


def test_a_restriction_added_after_a_render_closes_the_page(client, make_article, committed):
    article = make_article()
    assert client.get(article.url).status_code == 200  # "no restrictions" kept
    with committed():
        restrict(article, PageViewRestriction.PASSWORD, password="letmein")
    answer = client.get(article.url)
    assert answer.status_code == 200 and b'name="password"' in answer.content
    assert article.short_answer.encode() not in answer.content


def test_live_public_unjoined_is_live_public(restricted_tree, make_article, author):
    """The author page's filter (core/pages.py) against `live().public()`, with drafts, an
    unpublished article and nested private areas; then once the areas are gone."""
    make_article("Is this draft visible?", publish=False)
    make_article("Was this withdrawn?").unpublish()
    ArticlePage.objects.update(author=author)
    nobodys = make_article("Whose is this?")
    ArticlePage.objects.filter(pk=nobodys.pk).update(author=None)
    for articles in (author.articles, ArticlePage.objects):
        assert ids(articles.live_public_unjoined()) == ids(articles.live().public())
        assert articles.live_public_unjoined().count() == articles.live().public().count()
    titles = set(author.articles.live_public_unjoined().values_list("title", flat=True))
    assert titles == {"Why do my legs cramp at night?", "Why do I yawn?"}
    PageViewRestriction.objects.all().delete()
    memo.forget()  # as the purge after a restriction is removed
    assert ids(author.articles.live_public_unjoined()) == ids(author.articles.live())
    assert author.articles.live_public_unjoined().count() == 6


def test_live_public_unjoined_reads_no_page_row_for_the_live_ones(make_article, author):
    make_article()
    ArticlePage.objects.public()  # the private areas (none) kept, as after any render
    with CaptureQueriesContext(connection) as queries:
        assert author.articles.live_public_unjoined().count() == 1
    [query] = queries
    # the page table only in the subquery for pages that are not live (its partial index)
    assert "JOIN" not in query["sql"].upper()
