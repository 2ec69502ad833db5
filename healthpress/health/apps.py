from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "healthpress.health"
    label = "health"
    verbose_name = "Article health"

    def ready(self):
        # Each signal lives with the module that reacts to it.
        from . import readability, references

        readability.connect()
        references.connect()
