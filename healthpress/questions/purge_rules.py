"""Which cached pages go stale when readers' questions change what public pages show.

Questions themselves are never on a public page; what shows is a count and a listing:

- an article's note "Answers N readers' questions": a question linked to the article saved or
  deleted (answered, marked a duplicate of it, reopened) purges the article;
- the answered listing (/questions/answered/, every page of it, and its feeds): a question
  answered or deleted, and an article that answered questions published again (its title or
  short answer may have changed) or unpublished.

The answered notices task changes questions with `update()` (no signals), so it calls
`purge_answered` itself. A question moved from one article to another purges only the new one.
The receivers are connected in receivers.py.
"""

from django.urls import reverse

from healthpress.articles.models import ArticlePage
from healthpress.pagecache.purge import page_path, purge_paths

from .models import Question, Status


def answered_listing_paths():
    return [
        reverse("questions:answered"),
        reverse("questions:answered_rss"),
        reverse("questions:answered_atom"),
    ]


def purge_answered(article):
    """The article (its count) and the answered listing."""
    purge_paths([page_path(article), *answered_listing_paths()])


def on_question_change(sender, instance, **kwargs):
    if not instance.article_id:
        return
    article = ArticlePage.objects.filter(pk=instance.article_id).first()
    if article is not None:
        purge_answered(article)


def on_article_publish_change(sender, instance, **kwargs):
    if Question.objects.filter(article_id=instance.pk, status=Status.ANSWERED).exists():
        purge_paths(answered_listing_paths())
