"""Background work (django-tasks) of the article-health app: one article's reference checks,
queued after its publish commits (receivers.queue_reference_checks), never inside the request
that published it. The weekly run for every article is manage.py check_references. Until issue
25 this module was reference_tasks.py; migration 0002 renames the queued tasks."""

from django_tasks import task

from healthpress.articles.models import ArticlePage

from . import readability, references


@task()
def check_article_references(article_id):
    """Check the live article's references within REFERENCE_CHECK_TOTAL_SECONDS. An article
    unpublished before the task ran is left alone (its next publish queues it again). Returns a
    summary for the task log."""
    article = ArticlePage.objects.live().filter(pk=article_id).first()
    if article is None:
        return None
    report = references.check_article(article, deadline=references.deadline_from_now())
    return report.as_dict()


@task()
def store_reading_levels(article_ids):
    """The reading levels of a bulk import's batch (receivers.store_reading_levels). Queued, not
    computed during the import: only the Article health report reads them, never a page, and
    textstat's syllable counting was a third of the import's time (issue 27)."""
    readability.store_many(article_ids)
    return len(article_ids)
