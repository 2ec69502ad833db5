"""Every signal the newsletter app listens to, connected in one place (AppConfig.ready() calls
`connect()`).

A published article queues a newsletter run, so "each new article" subscribers hear at once.
Queued after the publishing transaction commits; the run itself decides who is due."""

from django.db import transaction
from django.db.models import Max
from wagtail.signals import page_published

from healthpress.articles.content import bulk_import_finished
from healthpress.articles.models import ArticlePage

from .models import Subscriber
from .tasks import send_newsletter_task


def queue_newsletter_run(sender, instance, **kwargs):
    transaction.on_commit(send_newsletter_task.enqueue)


def imported_articles_are_not_news(sender, article_ids, **kwargs):
    """`bulk_import_finished`: articles brought in from another system are old articles, never
    mailed as new. Subscribers' "new since" marks move past the batch's publication times; an
    article an editor publishes during the import is caught in that move (rare: imports run
    when a site moves across), which errs on the side of not mailing."""
    latest = ArticlePage.objects.live().filter(pk__in=article_ids)
    latest = latest.aggregate(at=Max("first_published_at"))["at"]
    if latest:
        Subscriber.objects.filter(articles_since__lt=latest).update(articles_since=latest)


def connect():
    bulk_import_finished.connect(
        imported_articles_are_not_news, sender=ArticlePage, dispatch_uid="newsletter-bulk"
    )
    page_published.connect(queue_newsletter_run, sender=ArticlePage, dispatch_uid="newsletter")
