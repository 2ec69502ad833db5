"""Every signal the articles app listens to, connected in one place (AppConfig.ready() calls
`connect()`), with the page cache's rule for what an article's publish makes stale
(purge_rules.py holds the rules themselves)."""

from django.db.models.signals import post_save, pre_save

from healthpress.pagecache.rules import stale_paths_for

from . import purge_rules
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
