"""Which API answers and embeds go stale, purged after commit like the pages (pagecache/purge.py):

- an article published, unpublished or deleted: its own answer and embed, and every list
  (articles, topics with their counts, the manifest, the withdrawn list; a path's purge drops
  every query of it);
- a person edited or removed: the answers and embeds of the articles they wrote or reviewed
  (their name and credentials are in them), and the lists;
- the reuse terms edited: everything, as the review settings' disclaimer already does.

Topic and site changes, moves and view restrictions purge the whole page cache
(pagecache/rules.py), which drops every API answer with it. Connected in receivers.py.
"""

from django.urls import reverse

from healthpress.pagecache.purge import purge_all, purge_paths

LISTS = ("articles", "topics", "manifest", "withdrawn")


def list_paths():
    return [reverse(f"partner_api:{name}") for name in LISTS]


def article_paths(article_id):
    return [reverse("partner_api:article", args=[article_id]), reverse("embed", args=[article_id])]


def on_article_change(sender, instance, **kwargs):
    purge_paths([*article_paths(instance.pk), *list_paths()])


def on_person_change(sender, instance, **kwargs):
    paths = list_paths()
    if instance.pk is not None:
        for related in (instance.articles, instance.reviewed_articles):
            for article_id in related.values_list("pk", flat=True):
                paths += article_paths(article_id)
    purge_paths(paths)


def on_terms_change(**kwargs):
    purge_all()
