"""Background work for the search (django-tasks): article embeddings (search/embeddings.py)."""

from django_tasks import task


@task()
def embed_articles(article_ids):
    """Embed these articles if live and changed; drop the rows of those no longer live. Queued
    after a publish commits, never inside it. Returns how many were embedded."""
    from .embeddings import update_embeddings

    return update_embeddings(article_ids)
