"""Every signal the article-health app listens to, connected in one place (AppConfig.ready()
calls `connect()`).

Wagtail's page_published fires for every way an article goes live (the admin, the workflow's
approval, publish_scheduled, the importer and the demo loader alike), so both reactions hang
from it: the reading level of the live text is stored, and its references are checked."""

from django.db import transaction
from wagtail.signals import page_published

from healthpress.articles.content import bulk_import_finished
from healthpress.articles.models import ArticlePage

from . import readability, references, tasks


def store_reading_level(sender, instance, **kwargs):
    """The report lists live articles, so the stored figure is the live text's."""
    readability.store(instance)


def store_reading_levels(sender, article_ids, **kwargs):
    """`bulk_import_finished`: a batch's reading levels at once, in the background. Queued inside
    the batch's transaction: the database task backend stores the task with the batch, so a
    crash loses both or neither."""
    tasks.store_reading_levels.enqueue(list(article_ids))


def queue_reference_checks(sender, instance, **kwargs):
    """Check the article's references once the publish commits, in the background, unless
    turned off (references.checks_on_publish)."""
    if kwargs.get("alias") or not references.checks_on_publish():
        return
    article_id = instance.pk
    transaction.on_commit(lambda: tasks.check_article_references.enqueue(article_id), robust=True)


def connect():
    page_published.connect(
        store_reading_level, sender=ArticlePage, dispatch_uid="health_readability"
    )
    page_published.connect(
        queue_reference_checks, sender=ArticlePage, dispatch_uid="health-reference-checks"
    )
    bulk_import_finished.connect(
        store_reading_levels, sender=ArticlePage, dispatch_uid="health_readability_bulk"
    )
