from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "healthpress.comments"
    label = "comments"

    def ready(self):
        from . import receivers

        receivers.connect()
