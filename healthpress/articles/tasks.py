"""Background work for articles (django-tasks): the renditions a draft's pictures will need.

A saved draft that shows pictures queues `make_draft_renditions` after its commit, so the AVIF,
WebP and JPEG sizes are ready for the preview and the publish. A publish makes whatever is still
missing itself, before the page is saved live (`make_before_publish`), so no reader's request
ever waits for one (renditions.py lists them).
"""

import logging

from django.db import transaction
from django_tasks import task

from .renditions import make_renditions

log = logging.getLogger(__name__)
PICTURE_FIELDS = ("lead_image", "body")


@task()
def make_draft_renditions(revision_id):
    """Make the renditions the revision's pictures need; returns how many pictures it saw."""
    from wagtail.models import Revision

    revision = Revision.objects.filter(pk=revision_id).first()
    if revision is None:  # deleted since: nothing to prepare
        return 0
    return make_renditions(revision.as_object())


@task()
def index_references(article_ids):
    """Wagtail's reference index (the admin's usage counts) for articles written in bulk
    (bulk_import.py), one batch per task: Wagtail queues the same work after each single save
    (its update_reference_index_task), and per article it was a third of the import's time.
    Returns how many articles it indexed."""
    from modelcluster.models import get_all_child_relations
    from wagtail.models import ReferenceIndex

    from .models import ArticlePage

    # The child relations the index reads, fetched for the whole batch, not per article.
    relations = [r.get_accessor_name() for r in get_all_child_relations(ArticlePage)]
    pages = ArticlePage.objects.filter(pk__in=article_ids).prefetch_related(*relations)
    with transaction.atomic():
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
    return len(pages)


def on_revision_saved(sender, instance, created, **kwargs):
    """post_save of Revision: queue the task for an article draft that shows any picture."""
    from .models import ArticlePage

    if not created or not _shows_pictures(instance.content):
        return
    if not issubclass(instance.content_type.model_class() or object, ArticlePage):
        return
    revision_id = instance.pk
    transaction.on_commit(lambda: make_draft_renditions.enqueue(revision_id))


def make_before_publish(sender, instance, update_fields=None, **kwargs):
    """pre_save of ArticlePage: a live page saved with its content makes what is missing now,
    inside the publish, before the page (and its purge) can reach a reader."""
    if not instance.live or kwargs.get("raw"):
        return
    if update_fields is not None and not set(PICTURE_FIELDS) & set(update_fields):
        return
    make_renditions(instance)


def _shows_pictures(content):
    body = content.get("body") or ""
    text = body if isinstance(body, str) else repr(body)
    return (
        bool(content.get("lead_image"))
        or '"figure"' in text
        or '"video"' in text
        or ("'figure'" in text or "'video'" in text)
    )
