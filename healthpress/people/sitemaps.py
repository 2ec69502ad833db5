"""The author pages' entries in /sitemap.xml, at the same address as Wagtail's page entries."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, F, OuterRef, Subquery

from healthpress.core.site import site_root_url

from .models import Person


class AuthorSitemap(Sitemap):
    """Django's sitemap view hands get_urls the request's own scheme and Host; Wagtail's page
    entries use the Site's root URL. Both must agree, and a cached sitemap must not carry the
    host of whoever asked first, so each <loc> starts with the request's Site root URL."""

    def __init__(self, request=None):
        self.request = request

    def get_protocol(self, protocol=None):
        return urlsplit(site_root_url(self.request)).scheme

    def get_domain(self, site=None):
        return urlsplit(site_root_url(self.request)).netloc

    def items(self):
        # Asked per person rather than grouped: joining every article to its author, grouped
        # and counted, took 100-200 ms at 20,000 articles (docs/performance.md). Whether a
        # person has a live article stops at the first; the newest is one per person.
        articles = Person._meta.get_field("articles").related_model  # the layer above people
        theirs = articles.objects.filter(author=OuterRef("pk"), live=True)
        newest = theirs.order_by(F("last_published_at").desc(nulls_last=True))
        return (
            Person.objects.filter(Exists(theirs))
            .annotate(latest_article=Subquery(newest.values("last_published_at")[:1]))
            .order_by("slug")
        )

    def lastmod(self, person):
        # An author page changes when one of their articles is (re)published.
        return person.latest_article
