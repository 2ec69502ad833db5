"""bulk_import(): many articles saved through save_article, indexed and purged once at the end;
import_articles_in_bulk(): new articles written in batches."""

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


def test_the_block_disconnects_no_handler_and_switches_search_auto_update_back(topic, settings):
    from django.db.models.signals import post_save
    from wagtail.signals import page_published

    backends = settings.WAGTAILSEARCH_BACKENDS
    before = (list(post_save.receivers), list(page_published.receivers))
    with bulk_import():
        assert (list(post_save.receivers), list(page_published.receivers)) == before
        assert all(not b["AUTO_UPDATE"] for b in settings.WAGTAILSEARCH_BACKENDS.values())
    assert settings.WAGTAILSEARCH_BACKENDS is backends


def test_a_publish_in_another_context_during_the_block_still_purges(topic, purges, page_cache_on):
    from contextvars import Context

    with bulk_import():
        # Another thread or task has a context of its own: its publishes purge as usual.
        Context().run(save, "Why do my hips hurt?", topic, short_answer="Hips.")
        assert purges["article"] == 1
        save("Why do my knees click?", topic)
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


# --- import_articles_in_bulk(): the batch service ----------------------------------------------


def collect(into):
    """A signal receiver that keeps each instance it is sent."""
    return lambda sender, instance=None, **kwargs: into.append(instance)


def bulk_items(count, start=0, **extra):
    from healthpress.articles.bulk_import import BulkArticle

    return [
        BulkArticle(
            make_article_content(
                f"Why does joint number {n} ache?",
                2,
                short_answer=f"Joint {n} aches after a long walk.",
                tags=["joints", f"joint-{n % 3}"],
            ),
            **extra,
        )
        for n in range(start, start + count)
    ]


def import_in_bulk(items, topic, **kwargs):
    from healthpress.articles.bulk_import import import_articles_in_bulk

    kwargs.setdefault("publish", True)
    return import_articles_in_bulk(items, topic, **kwargs)


def test_bulk_import_publishes_tagged_reviewed_revisioned_articles(topic, author):
    from healthpress.articles.models import ArticlePage
    from healthpress.health.models import Readability

    result = import_in_bulk(bulk_items(5, author=author), topic, batch_size=2, via="test")
    pages = list(ArticlePage.objects.filter(pk__in=result.created).order_by("path"))
    assert [p.title for p in pages] == [f"Why does joint number {n} ache?" for n in range(5)]
    for page in pages:
        assert page.live and not page.has_unpublished_changes
        assert page.get_parent().pk == topic.pk
        assert page.url == f"/{topic.slug}/{page.slug}/"
        assert page.author == author
        assert page.live_revision_id == page.latest_revision_id
        revision = page.get_latest_revision_as_object()
        assert revision.title == page.title and "joints" in revision.tags.names()
        assert set(page.tags.names()) >= {"joints"}
        assert page.get_admin_display_title() == page.title
    assert Readability.objects.filter(article__in=pages).count() == 5
    topic.refresh_from_db()
    assert topic.numchild == 5


def test_bulk_imported_pages_are_a_valid_tree_beside_pages_added_one_by_one(topic, author):
    from wagtail.models import Page

    save("Why do my knees click?", topic)
    import_in_bulk(bulk_items(3), topic, batch_size=2)
    save("Why do my hips hurt?", topic, short_answer="Hips.")
    import_in_bulk(bulk_items(2, start=3), topic)
    assert Page.find_problems() == ([], [], [], [], [])
    topic.refresh_from_db()
    assert topic.get_children().count() == topic.numchild == 7
    assert topic.get_children().last().title == "Why does joint number 4 ache?"


def test_bulk_imported_articles_are_found_by_search_and_in_the_reference_index(topic, author):
    result = import_in_bulk(bulk_items(3, author=author), topic)
    found = {a.pk for a in search_articles("joint aches walk", log=False).articles}
    assert found == set(result.created)
    assert all(
        ReferenceIndex.get_references_for_object(page).exists()
        for page in content.ArticlePage.objects.filter(pk__in=result.created)
    )


def test_reading_levels_and_the_reference_index_are_queued_per_batch(topic, author, settings):
    from django_tasks import default_task_backend

    from healthpress.health.models import Readability

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    result = import_in_bulk(bulk_items(3, author=author), topic, batch_size=2)
    pages = content.ArticlePage.objects.filter(pk__in=result.created)
    queued = [(r.task.func.__name__, r.args) for r in default_task_backend.results]
    assert sorted(queued) == sorted(
        (name, [ids])
        for name in ("index_references", "store_reading_levels")
        for ids in (result.created[:2], result.created[2:])
    )
    assert not Readability.objects.exists()
    assert not any(ReferenceIndex.get_references_for_object(p).exists() for p in pages)

    for queued_task in default_task_backend.results:  # what the worker does
        queued_task.task.call(*queued_task.args, **queued_task.kwargs)
    assert Readability.objects.filter(article__in=pages).count() == 3
    assert all(ReferenceIndex.get_references_for_object(p).exists() for p in pages)


def test_an_interrupted_bulk_import_run_again_ends_with_every_article_once(topic):
    from healthpress.articles.models import ArticlePage

    items = bulk_items(7)

    def crashing():
        yield from items[:5]
        raise RuntimeError("the machine went down")

    with pytest.raises(RuntimeError):
        import_in_bulk(crashing(), topic, batch_size=2)
    assert ArticlePage.objects.count() == 4  # two whole batches committed, the third lost

    result = import_in_bulk(items, topic, batch_size=2)
    assert len(result.created) == 3 and result.skipped == 4
    titles = list(ArticlePage.objects.values_list("title", flat=True))
    assert sorted(titles) == sorted(item.content.question for item in items)
    assert search_articles("joint", log=False).total == 7


def test_questions_that_slugify_alike_get_their_own_slugs_and_resume_too(topic):
    from healthpress.articles.models import ArticlePage

    items = bulk_items(1) + bulk_items(1)
    items[1].content.question = "Why does joint number 0 ache!"  # same slug, other question
    items.append(bulk_items(1)[0])  # twice in the input
    import_in_bulk(items, topic)
    import_in_bulk(items, topic)
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["why-does-joint-number-0-ache", "why-does-joint-number-0-ache-2"]


def test_bulk_import_sends_no_per_article_signal_and_no_newsletter(topic, committed):
    from django.db.models.signals import post_save
    from django.utils import timezone
    from wagtail.signals import page_published

    from healthpress.newsletter.models import Subscriber

    subscriber = Subscriber.objects.create(
        email="reader@example.org",
        status=Subscriber.Status.CONFIRMED,
        articles_since=timezone.now() - timezone.timedelta(days=1),
    )
    published, saved = [], []
    page_published.connect(collect(published), dispatch_uid="test-bulk-published", weak=False)
    post_save.connect(collect(saved), dispatch_uid="test-bulk-saved", weak=False)
    try:
        with committed():
            import_in_bulk(bulk_items(3), topic)
    finally:
        page_published.disconnect(dispatch_uid="test-bulk-published")
        post_save.disconnect(dispatch_uid="test-bulk-saved")
    # New tag names are created one by one (a handful per import), never a row per article.
    assert published == [] and {type(i).__name__ for i in saved} == {"Tag"}
    assert len(saved) == 4
    # A later publish runs the newsletter: the imported articles are not news in it.
    subscriber.refresh_from_db()
    assert (
        subscriber.articles_since
        >= content.ArticlePage.objects.latest("first_published_at").first_published_at
    )
    from healthpress.newsletter.editions import new_articles

    assert new_articles(subscriber.articles_since, timezone.now()) == []


def test_bulk_import_purges_the_page_cache_once(topic, purges, page_cache_on):
    import_in_bulk(bulk_items(5), topic, batch_size=2)
    assert purges == {"article": 0, "everything": 1}


def test_bulk_import_reports_progress_per_batch_and_keeps_drafts_unpublished(topic):
    done = []
    result = import_in_bulk(bulk_items(5), topic, batch_size=2, publish=False, progress=done.append)
    assert done == [2, 2, 1]
    pages = content.ArticlePage.objects.filter(pk__in=result.created)
    assert not any(p.live for p in pages)
    assert all(p.has_unpublished_changes and p.first_published_at is None for p in pages)
    assert search_articles("joint", log=False).total == 0


def test_import_articles_command_imports_many_files_in_bulk_and_updates_known_ones(tmp_path, db):
    from io import StringIO

    from django.core.management import call_command
    from wagtail.signals import page_published

    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(f"Why does joint {n} ache?\n\nAnswer {n}.\n")
    call_command("import_articles", str(tmp_path / "0.txt"), "--publish", stdout=StringIO())
    published = []
    page_published.connect(collect(published), dispatch_uid="test-command-published", weak=False)
    try:
        out = StringIO()
        call_command("import_articles", str(tmp_path), "--publish", stdout=out)
    finally:
        page_published.disconnect(dispatch_uid="test-command-published")
    assert "created 3, updated 1, failed 0" in out.getvalue()
    assert len(published) == 1  # the known question, saved again through save_article
    assert content.ArticlePage.objects.live().count() == 4


def test_a_file_naming_a_missing_picture_fails_alone_in_a_bulk_import(tmp_path, db):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Why does joint {n} ache?\n\nAnswer {n}.\n")
    (tmp_path / "3.txt").write_text(
        "Why does joint 3 ache?\n\nLead image: pictures/missing.jpg\n\nAnswer 3.\n"
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), stdout=out, stderr=err)
    assert "created 3, updated 0, failed 1" in out.getvalue()
    assert f"{tmp_path / '3.txt'}: error: " in err.getvalue()
