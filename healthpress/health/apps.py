from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "healthpress.health"
    label = "health"
    verbose_name = "Article health"

    def ready(self):
        from . import receivers

        receivers.connect()
