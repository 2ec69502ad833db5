"""Which cached pages go stale when a person is edited or removed: their author page, the author
index, and every article that shows them as author or medical reviewer. Connected in
receivers.py."""

from django.urls import reverse

from healthpress.pagecache.purge import page_path, purge_paths


def on_person_change(sender, instance, **kwargs):
    paths = [instance.get_absolute_url(), reverse("people:index")]
    paths += [reverse("sitemap"), reverse("sitemap_section", args=["authors"])]
    if instance.pk is not None:
        for related in (instance.articles, instance.reviewed_articles):
            paths += [page_path(article) for article in related.all()]
    purge_paths(paths)
