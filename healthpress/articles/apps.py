from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "healthpress.articles"
    label = "articles"
