from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "healthpress.comments"
    label = "comments"
