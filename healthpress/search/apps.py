from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "healthpress.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from . import checks, documents, embeddings  # noqa: F401 (checks registers itself)

        embeddings.connect()
        documents.connect()
