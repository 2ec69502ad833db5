"""Which cached pages go stale when something changes: the rules, in one place.

- an article published, unpublished or edited while live: the article, its topic and the other
  articles there (they list it as related), the home page, the author pages, the site-wide
  listings (sitemap, author index, feeds) and the topic's feeds;
- a topic or the home page published or unpublished: everything (the topic navigation and the
  home page's listings show on or link from every page);
- a page moved or deleted: everything (its old address and every listing of it);
- a person edited: their author page, the author index and every article showing their box;
- a view restriction (privacy) added, changed or removed: everything (it covers a whole subtree,
  and every listing of those pages must drop or regain them);
- a Site added, edited or deleted: everything (canonical links and routing follow its address).
Comments purge their article through `purge_page` when one is approved or removed.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import page_path, purge_everything, purge_paths, site_wide_listing_paths


def article_paths(article):
    from healthpress.people.models import Person

    topic = article.get_parent()
    paths = [page_path(article), page_path(topic), "/"]
    paths += [page_path(sibling) for sibling in topic.get_children().live()]
    paths += [person.get_absolute_url() for person in Person.objects.only("slug")]
    paths += [
        reverse("feeds:topic_rss", args=[topic.slug]),
        reverse("feeds:topic_atom", args=[topic.slug]),
    ]
    return [p for p in paths + site_wide_listing_paths() if p]


def on_publish_change(sender, instance, **kwargs):
    from healthpress.articles.models import ArticlePage

    if isinstance(instance.specific_deferred, ArticlePage):
        purge_paths(article_paths(instance))
    else:
        purge_everything()


def on_site_wide_change(sender, instance, **kwargs):
    purge_everything()


def on_person_change(sender, instance, **kwargs):
    from healthpress.articles.models import ArticlePage

    paths = [instance.get_absolute_url(), "/authors/"]
    paths += [page_path(a) for a in ArticlePage.objects.filter(author_id=instance.pk)]
    purge_paths([p for p in paths if p])


def connect():
    from wagtail.models import PageViewRestriction, Site

    from healthpress.people.models import Person

    page_published.connect(on_publish_change, dispatch_uid="pagecache-published")
    page_unpublished.connect(on_publish_change, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(on_site_wide_change, dispatch_uid="pagecache-moved")
    post_delete.connect(on_site_wide_change, sender=Page, dispatch_uid="pagecache-deleted")
    post_save.connect(on_person_change, sender=Person, dispatch_uid="pagecache-person")
    post_delete.connect(on_person_change, sender=Person, dispatch_uid="pagecache-person-del")
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                on_site_wide_change, sender=model, dispatch_uid=f"pagecache-{model._meta.label}"
            )
