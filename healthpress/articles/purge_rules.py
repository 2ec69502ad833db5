"""Which cached pages go stale when an article is published, unpublished or edited while live,
or when the site's review settings change.

- an article: the article, its topic and the other articles there (they list it as related),
  the articles of other topics that may list it as related through a shared tag
  (related.articles_that_may_list), the home page, the author pages, the site-wide listings
  (sitemap, author index, feeds) and the topic's feeds;
- a tag taken off an article (saved by a publish): the other articles sharing that tag, which
  may list it still;
- the review settings: everything (the disclaimer, the overdue notice and the policy link show
  on every page).

The rules are registered and the receivers connected in receivers.py.
"""

from django.urls import reverse

from healthpress.pagecache.purge import page_path, purge_all, purge_paths
from healthpress.people.models import Person

from .content import in_bulk_import
from .models import ArticlePageTag
from .related import articles_that_may_list


def site_wide_listing_paths():
    """Pages that list articles across the site: feeds and the sitemap's index and files (the
    files past the first, `?p=N`, are never cached: healthpress/sitemaps.py)."""
    sitemaps = [reverse("sitemap")]
    sitemaps += [reverse("sitemap_section", args=[name]) for name in ("pages", "authors")]
    return [*sitemaps, reverse("people:index"), reverse("feeds:rss"), reverse("feeds:atom")]


def article_paths(article):
    topic = article.get_parent()
    paths = [page_path(article), page_path(topic), "/"]
    paths += [page_path(sibling) for sibling in topic.get_children().live()]
    paths += [page_path(listing) for listing in articles_that_may_list(article)]
    paths += [person.get_absolute_url() for person in Person.objects.only("slug")]
    paths += [
        reverse("feeds:topic_rss", args=[topic.slug]),
        reverse("feeds:topic_atom", args=[topic.slug]),
    ]
    return paths + site_wide_listing_paths()


def on_article_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before an article's full save (a publish writes its tags; drafts save some fields only):
    the articles sharing a tag it is about to lose may list it, and the publish rule, run after,
    knows only its new tags. Two small queries per full save; a purge only when tags go."""
    if raw or update_fields is not None or instance.pk is None or in_bulk_import():
        return
    saved = ArticlePageTag.objects.filter(content_object_id=instance.pk)
    lost = set(saved.values_list("tag_id", flat=True))
    lost -= {item.tag_id for item in instance.tagged_items.all()}
    if lost:
        purge_paths([page_path(a) for a in articles_that_may_list(instance, tag_ids=lost)])


def on_review_settings_change(**kwargs):
    purge_all()
