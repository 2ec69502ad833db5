"""Every signal the newsletter app listens to, connected in one place (AppConfig.ready() calls
`connect()`).

A published article queues a newsletter run, so "each new article" subscribers hear at once.
Queued after the publishing transaction commits; the run itself decides who is due."""

from django.db import transaction
from wagtail.signals import page_published

from healthpress.articles.models import ArticlePage

from .tasks import send_newsletter_task


def queue_newsletter_run(sender, instance, **kwargs):
    transaction.on_commit(send_newsletter_task.enqueue)


def connect():
    page_published.connect(queue_newsletter_run, sender=ArticlePage, dispatch_uid="newsletter")
