from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "healthpress.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import rules

        rules.connect()
