from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "healthpress.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from . import receivers

        receivers.connect()
