"""Recording the articles readers could see and no longer can, so the API answers 410 for them
and lists them for partners to remove (models.Withdrawal).

Wagtail sends `page_unpublished` for every way an article goes offline (the admin's unpublish,
an expiry by publish_scheduled, a deletion of a live page, which unpublishes it first) and
Django's `post_delete` when it is deleted; `page_published` brings it back. A view restriction
(Wagtail's privacy setting) saved on a topic or an article withdraws the live articles it
hides; removed, it brings back those that are public again. Each writes after the change
commits, so a rolled-back change records nothing. These receivers are connected before the
API's purge rules (receivers.py): on commit the row is written first and the lists are purged after,
so no list is rebuilt in between without it; a restriction purges the whole page cache
(pagecache/rules.py) before this runs, so the withdrawn list is purged again once written.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from healthpress.pagecache.purge import purge_paths

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


def record_restricted(page_id):
    """Withdraw the live articles at or under `page_id` that readers can no longer see."""
    from healthpress.articles.models import ArticlePage

    from .data import published_articles

    restricted = Page.objects.filter(pk=page_id).first()
    if restricted is None:
        return
    under = ArticlePage.objects.live().descendant_of(restricted, inclusive=True)
    hidden = under.exclude(pk__in=published_articles().values("pk")).exclude(
        pk__in=Withdrawal.objects.values("page_id")
    )
    now = timezone.now()
    Withdrawal.objects.bulk_create(
        [
            Withdrawal(
                page_id=page.pk,
                url=page.get_full_url() or "",
                reason=Withdrawal.RESTRICTED,
                withdrawn_at=now,
            )
            for page in hidden.only("id", "url_path")
        ],
        ignore_conflicts=True,
    )
    purge_paths([reverse("partner_api:withdrawn")])


def release_restricted():
    """Articles public again (their restriction removed) are no longer withdrawn."""
    from .data import published_articles

    Withdrawal.objects.filter(
        reason=Withdrawal.RESTRICTED, page_id__in=published_articles().values("pk")
    ).delete()
    purge_paths([reverse("partner_api:withdrawn")])


def on_restriction_saved(sender, instance, **kwargs):
    page_id = instance.page_id
    transaction.on_commit(lambda: record_restricted(page_id), robust=True)


def on_restriction_deleted(sender, instance, **kwargs):
    transaction.on_commit(release_restricted, robust=True)
