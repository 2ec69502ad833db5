from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "healthpress.api"
    label = "api"
    verbose_name = "Partner API"

    def ready(self):
        from . import receivers

        receivers.connect()
