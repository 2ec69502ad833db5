from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "healthpress.articles"
    label = "articles"

    def ready(self):
        from . import receivers

        receivers.connect()
