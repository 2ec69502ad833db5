"""A published article queues a newsletter run, so "each new article" subscribers hear at once.

Queued after the publishing transaction commits; the run itself decides who is due."""

from django.db import transaction
from wagtail.signals import page_published


def queue_newsletter_run(sender, instance, **kwargs):
    from .tasks import send_newsletter_task

    transaction.on_commit(send_newsletter_task.enqueue)


def imported_articles_are_not_news(sender, article_ids, **kwargs):
    """`bulk_import_finished`: articles brought in from another system are old articles, never
    mailed as new. Subscribers' "new since" marks move past the batch's publication times; an
    article an editor publishes during the import is caught in that move (rare: imports run
    when a site moves across), which errs on the side of not mailing."""
    from django.db.models import Max

    from healthpress.articles.models import ArticlePage

    from .models import Subscriber

    latest = ArticlePage.objects.live().filter(pk__in=article_ids)
    latest = latest.aggregate(at=Max("first_published_at"))["at"]
    if latest:
        Subscriber.objects.filter(articles_since__lt=latest).update(articles_since=latest)


def connect():
    from healthpress.articles.content import bulk_import_finished
    from healthpress.articles.models import ArticlePage

    bulk_import_finished.connect(
        imported_articles_are_not_news, sender=ArticlePage, dispatch_uid="newsletter-bulk"
    )
    page_published.connect(queue_newsletter_run, sender=ArticlePage, dispatch_uid="newsletter")
