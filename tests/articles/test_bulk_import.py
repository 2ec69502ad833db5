"""bulk_import(): many articles saved through save_article, indexed and purged once at the end."""

import pytest
from wagtail.models import ReferenceIndex

from healthpress.articles import content
from healthpress.articles.content import bulk_import, save_article
from healthpress.search.service import search_articles
from tests.conftest import make_article_content


@pytest.fixture
def purges(monkeypatch):
    """Every per-publish purge (an article's paths) and every full purge."""
    from healthpress.pagecache import purge, rules

    calls = {"article": 0, "everything": 0}

    def counting_paths(paths):
        calls["article"] += 1

    def counting_everything():
        calls["everything"] += 1

    monkeypatch.setattr(rules, "purge_paths", counting_paths)
    monkeypatch.setattr(purge, "purge_all", counting_everything)
    return calls


def save(question, topic, **kwargs):
    text = kwargs.pop("short_answer", "Knees click because of gas bubbles.")
    page, _ = save_article(
        make_article_content(question, 1, short_answer=text), topic=topic, publish=True, **kwargs
    )
    return page


def test_articles_saved_in_bulk_are_published_and_found_after_the_block(topic):
    with bulk_import():
        first = save("Why do my knees click?", topic)
        second = save("Why do my knees ache?", topic, short_answer="Knees ache from overuse.")
        # Not indexed yet: the index is built once, at the end.
        assert search_articles("knees", log=False).total == 0
    assert first.live and second.live
    assert {a.pk for a in search_articles("knees", log=False).articles} == {first.pk, second.pk}


def test_page_cache_is_purged_once_at_the_end_not_per_publish(topic, purges, page_cache_on):
    with bulk_import():
        save("Why do my knees click?", topic)
        save("Why do my knees ache?", topic)
        assert purges == {"article": 0, "everything": 0}
    assert purges == {"article": 0, "everything": 1}


def test_outside_the_block_a_publish_purges_and_indexes_as_before(topic, purges, page_cache_on):
    with bulk_import():
        save("Why do my knees click?", topic)
    page = save("Why do my hips hurt?", topic, short_answer="Hips hurt after a long walk.")
    assert purges["article"] == 1
    assert [a.pk for a in search_articles("hips", log=False).articles] == [page.pk]


def test_a_failing_import_still_restores_indexing_and_purging(topic, purges):
    with pytest.raises(RuntimeError), bulk_import():
        saved = save("Why do my knees click?", topic)
        raise RuntimeError("the source file is broken")
    assert [a.pk for a in search_articles("knees", log=False).articles] == [saved.pk]
    assert purges["everything"] == 1
    save("Why do my hips hurt?", topic, short_answer="Hips.")
    assert purges["article"] == 1


def test_the_reference_index_is_built_once_per_article(topic, author, monkeypatch):
    built = []
    original = ReferenceIndex.create_or_update_for_object.__func__

    def counting(cls, obj):
        built.append(obj.pk)
        return original(cls, obj)

    monkeypatch.setattr(ReferenceIndex, "create_or_update_for_object", classmethod(counting))
    with bulk_import():
        page = save("Why do my knees click?", topic, author=author)
        assert built == []
    assert built == [page.pk]
    assert ReferenceIndex.get_references_for_object(page).exists()


def test_nested_blocks_index_at_the_outer_end(topic, monkeypatch):
    with bulk_import():
        with bulk_import():
            save("Why do my knees click?", topic)
        assert search_articles("knees", log=False).total == 0
    assert search_articles("knees", log=False).total == 1
    assert content._bulk_saved.get() is None
