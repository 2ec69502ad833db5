from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "healthpress.newsletter"
    label = "newsletter"
