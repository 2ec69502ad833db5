"""Every signal the articles app listens to, connected in one place (AppConfig.ready() calls
`connect()`), with the page cache's rule for what an article's publish makes stale
(purge_rules.py holds the rules themselves)."""

from django.db.models.signals import post_save, pre_save
from wagtail.models import Revision

from healthpress.pagecache.rules import stale_paths_for

from . import purge_rules, tasks
from .models import ArticlePage, ReviewSettings


def connect():
    stale_paths_for(ArticlePage)(purge_rules.article_paths)
    pre_save.connect(
        purge_rules.on_article_save, sender=ArticlePage, dispatch_uid="article-tags-lost"
    )
    post_save.connect(
        purge_rules.on_review_settings_change,
        sender=ReviewSettings,
        dispatch_uid="review-settings",
    )
    # Renditions for pictures: queued when a draft is saved, completed by the publish.
    post_save.connect(tasks.on_revision_saved, sender=Revision, dispatch_uid="draft-pictures")
    pre_save.connect(tasks.make_before_publish, sender=ArticlePage, dispatch_uid="publish-pictures")
