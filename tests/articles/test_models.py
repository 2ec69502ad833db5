import pytest
from wagtail.models import Page

from healthpress.articles.content import ArticleContent, question_slug, save_article
from healthpress.articles.models import ArticlePage
from healthpress.core.models import TopicPage
from tests.conftest import section

pytestmark = pytest.mark.django_db


def test_sections_are_numbered_in_order_and_other_blocks_are_not(make_article):
    page = make_article(
        sections=2,
        more_blocks=[
            {"type": "prevention", "value": {"heading": "Prevention", "text": "<p>Stretch.</p>"}},
            section("A late third cause"),
        ],
    )
    numbers = [(block.block_type, number) for block, number in page.numbered_body()]
    assert numbers == [("section", 1), ("section", 2), ("prevention", None), ("section", 3)]
    assert page.section_headings() == ["Cause number 1", "Cause number 2", "A late third cause"]


def test_article_topic_is_the_topic_it_lives_under(make_article, topic):
    assert make_article().topic == topic


def test_articles_can_only_live_under_topics():
    assert ArticlePage.allowed_parent_page_models() == [TopicPage]
    assert ArticlePage.allowed_subpage_models() == []


def test_saving_the_same_question_again_updates_instead_of_duplicating(make_article, topic):
    page = make_article(question="Is coffee dehydrating?")
    again = ArticleContent(question="Is coffee dehydrating?", short_answer="Not really.")
    updated, created = save_article(again, topic=topic, publish=True)
    assert not created
    assert updated.pk == page.pk
    assert ArticlePage.objects.count() == 1
    assert ArticlePage.objects.get().short_answer == "Not really."
    assert page.revisions.count() == 2


def test_a_draft_save_leaves_the_live_article_unchanged(make_article, topic):
    page = make_article(question="Is coffee dehydrating?", short_answer="Live answer.")
    draft = ArticleContent(question="Is coffee dehydrating?", short_answer="Draft answer.")
    save_article(draft, topic=topic, publish=False)
    page.refresh_from_db()
    assert page.live and page.short_answer == "Live answer."
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().short_answer == "Draft answer."


def test_new_article_saved_as_draft_is_not_live(make_article):
    page = make_article(publish=False)
    assert not page.live
    assert not ArticlePage.objects.live().exists()


def test_question_slug_is_stable_and_short():
    long_question = "Why " + "really " * 30 + "do my knees click?"
    slug = question_slug(long_question)
    assert len(slug) <= 80 and not slug.endswith("-")
    assert question_slug("Is cramping caused by calcium?") == question_slug(
        "Is cramping caused by calcium"
    )


def test_fresh_database_gets_a_home_page_as_site_root(home):
    assert home.get_site().root_page.specific == home
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()


def test_long_questions_sharing_a_slug_prefix_stay_separate_articles(topic):
    stem = "Why does my " + "left " * 20
    first = save_article(ArticleContent(stem + "knee hurt?", "Answer one."), topic=topic)[0]
    second = save_article(ArticleContent(stem + "ankle hurt?", "Answer two."), topic=topic)[0]
    assert first.pk != second.pk
    assert second.slug == first.slug + "-2"
    again, created = save_article(ArticleContent(stem + "ankle hurt", "Three."), topic=topic)
    assert (again.pk, created) == (second.pk, False)


def test_reimport_keeps_the_editors_seo_title_and_update_date(make_article, topic):
    page = make_article(question="Is coffee dehydrating?")
    page.seo_title = "Coffee and hydration"
    page.last_updated = "2026-03-01"
    page.save_revision().publish()
    save_article(ArticleContent("Is coffee dehydrating?", "Newer."), topic=topic, publish=True)
    page.refresh_from_db()
    assert (page.seo_title, str(page.last_updated)) == ("Coffee and hydration", "2026-03-01")
