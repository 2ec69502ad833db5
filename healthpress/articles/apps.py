from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "healthpress.articles"
    label = "articles"

    def ready(self):
        from django.db.models.signals import post_save, pre_save
        from wagtail.models import Revision

        from . import purge_rules, tasks
        from .models import ArticlePage

        purge_rules.connect()
        # Renditions for pictures: queued when a draft is saved, completed by the publish.
        post_save.connect(tasks.on_revision_saved, sender=Revision, dispatch_uid="draft-pictures")
        pre_save.connect(
            tasks.make_before_publish, sender=ArticlePage, dispatch_uid="publish-pictures"
        )
