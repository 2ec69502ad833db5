"""Background work (django-tasks) for reference checks: one article's references, queued after
its publish commits (references.on_article_published), never inside the request that published
it. The weekly run for every article is manage.py check_references."""

from django_tasks import task

from . import references


@task()
def check_article_references(article_id):
    """Check the live article's references within REFERENCE_CHECK_TOTAL_SECONDS. An article
    unpublished before the task ran is left alone (its next publish queues it again). Returns a
    summary for the task log."""
    from healthpress.articles.models import ArticlePage

    article = ArticlePage.objects.live().filter(pk=article_id).first()
    if article is None:
        return None
    report = references.check_article(article, deadline=references.deadline_from_now())
    return report.as_dict()
