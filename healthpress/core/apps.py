from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "healthpress.core"
    label = "core"

    def ready(self):
        from . import purge_rules

        purge_rules.connect()
