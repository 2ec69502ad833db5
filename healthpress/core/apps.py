from django.apps import AppConfig


class CoreConfig(AppConfig):
    # Core's pages (home, topics, the editorial policy) show on or link from every page, so a
    # change to one purges the whole page cache: the page cache's default rule (pagecache/rules.py).
    name = "healthpress.core"
    label = "core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
