from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "healthpress.core"
    label = "core"
