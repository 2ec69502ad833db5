"""A published article queues a newsletter run, so "each new article" subscribers hear at once.

Queued after the publishing transaction commits; the run itself decides who is due."""

from django.db import transaction
from wagtail.signals import page_published


def queue_newsletter_run(sender, instance, **kwargs):
    from .tasks import send_newsletter_task

    transaction.on_commit(send_newsletter_task.enqueue)


def connect():
    from healthpress.articles.models import ArticlePage

    page_published.connect(queue_newsletter_run, sender=ArticlePage, dispatch_uid="newsletter")
