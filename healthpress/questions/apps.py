from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "healthpress.questions"
    label = "questions"
    verbose_name = "Readers' questions"

    def ready(self):
        from wagtail.signals import page_published

        from healthpress.articles.models import ArticlePage

        from . import answers, purge_rules

        purge_rules.connect()
        # Every way an article goes live (workflow approval, an administrator's publish,
        # publish_scheduled, the importer) ends in Revision.publish, which sends this.
        page_published.connect(
            answers.on_article_published, sender=ArticlePage, dispatch_uid="questions-answered"
        )
