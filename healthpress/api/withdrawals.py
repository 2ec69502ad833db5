"""Recording the articles readers could see and no longer can, so the API answers 410 for them
and lists them for partners to remove (models.Withdrawal).

Wagtail sends `page_unpublished` for every way an article goes offline (the admin's unpublish,
an expiry by publish_scheduled, a deletion of a live page, which unpublishes it first) and
Django's `post_delete` when it is deleted; `page_published` brings it back. Each writes after
the change commits, so a rolled-back change records nothing. These receivers are connected
before the API's purge rules (apps.py): on commit the row is written first and the lists are
purged after, so no list is rebuilt in between without it.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from .models import Withdrawal


def record(page_id, url, reason):
    values = {"url": url or "", "reason": reason, "withdrawn_at": timezone.now()}
    Withdrawal.objects.update_or_create(page_id=page_id, defaults=values)


def on_unpublished(sender, instance, **kwargs):
    page_id, url = instance.pk, instance.get_full_url()
    transaction.on_commit(lambda: record(page_id, url, Withdrawal.UNPUBLISHED), robust=True)


def on_deleted(sender, instance, **kwargs):
    if instance.first_published_at is None:
        return  # never public: nothing for a partner to remove
    page_id, url = instance.pk, instance.get_full_url()
    transaction.on_commit(lambda: record(page_id, url, Withdrawal.DELETED), robust=True)


def on_published(sender, instance, **kwargs):
    page_id = instance.pk
    transaction.on_commit(lambda: Withdrawal.objects.filter(page_id=page_id).delete(), robust=True)


def connect():
    from healthpress.articles.models import ArticlePage

    page_unpublished.connect(on_unpublished, sender=ArticlePage, dispatch_uid="api-withdrawn")
    post_delete.connect(on_deleted, sender=ArticlePage, dispatch_uid="api-withdrawn-deleted")
    page_published.connect(on_published, sender=ArticlePage, dispatch_uid="api-republished")
