from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "healthpress.articles"
    label = "articles"

    def ready(self):
        from django.db.models.signals import post_save

        from .models import ReviewSettings

        post_save.connect(
            purge_after_settings_change, sender=ReviewSettings, dispatch_uid="review-settings"
        )


def purge_after_settings_change(**kwargs):
    """The disclaimer, the overdue notice and the policy link show on every page."""
    from healthpress.core.cache import purge_everything

    purge_everything()
