"""Which cached pages go stale when an article is published, unpublished or edited while live,
or when the site's review settings change.

- an article: the article, its topic and the other articles there (they list it as related),
  the home page, the author pages, the site-wide listings (sitemap, author index, feeds) and
  the topic's feeds;
- the review settings: everything (the disclaimer, the overdue notice and the policy link show
  on every page).
"""

from django.db.models.signals import post_save
from django.urls import reverse

from healthpress.pagecache.purge import page_path, purge_all
from healthpress.pagecache.rules import stale_paths_for
from healthpress.people.models import Person


def site_wide_listing_paths():
    """Pages that list articles across the site: feeds and the sitemap."""
    return ["/sitemap.xml", reverse("people:index"), reverse("feeds:rss"), reverse("feeds:atom")]


def article_paths(article):
    topic = article.get_parent()
    paths = [page_path(article), page_path(topic), "/"]
    paths += [page_path(sibling) for sibling in topic.get_children().live()]
    paths += [person.get_absolute_url() for person in Person.objects.only("slug")]
    paths += [
        reverse("feeds:topic_rss", args=[topic.slug]),
        reverse("feeds:topic_atom", args=[topic.slug]),
    ]
    return paths + site_wide_listing_paths()


def on_review_settings_change(**kwargs):
    purge_all()


def connect():
    from .models import ArticlePage, ReviewSettings

    stale_paths_for(ArticlePage)(article_paths)
    post_save.connect(
        on_review_settings_change, sender=ReviewSettings, dispatch_uid="review-settings"
    )
