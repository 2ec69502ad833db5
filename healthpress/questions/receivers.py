"""Every signal the questions app listens to, connected in one place (AppConfig.ready() calls
`connect()`), so what reacts to what is read here and nowhere else."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from healthpress.articles.models import ArticlePage

from . import purge_rules, tasks
from .models import Question, Status


def queue_answered_notices(sender, instance, **kwargs):
    """`page_published` for an article: queue the answered notices (tasks.py) once the publish
    commits, if questions wait for it or an asker of an answered one was never told (a run that
    crashed between the two steps resumes at the next publish). One query per publish; nothing
    queued for most publishes."""
    if kwargs.get("alias"):
        return
    untold = Q(status=Status.ANSWERED, notified_at__isnull=True, email_confirmed_at__isnull=False)
    due = Q(status=Status.ACCEPTED) | (untold & ~Q(email=""))
    if not Question.objects.filter(due, article_id=instance.pk).exists():
        return
    article_id = instance.pk
    transaction.on_commit(lambda: tasks.send_answered_notices.enqueue(article_id), robust=True)


def connect():
    post_save.connect(
        purge_rules.on_question_change, sender=Question, dispatch_uid="questions-saved"
    )
    post_delete.connect(
        purge_rules.on_question_change, sender=Question, dispatch_uid="questions-deleted"
    )
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(
            purge_rules.on_article_publish_change,
            sender=ArticlePage,
            dispatch_uid=f"questions-{name}",
        )
    # Every way an article goes live (workflow approval, an administrator's publish,
    # publish_scheduled, the importer) ends in Revision.publish, which sends this.
    page_published.connect(
        queue_answered_notices, sender=ArticlePage, dispatch_uid="questions-answered"
    )
