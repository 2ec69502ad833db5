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
