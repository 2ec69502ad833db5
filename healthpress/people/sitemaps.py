"""The author pages' entries in /sitemap.xml, at the same address as Wagtail's page entries."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

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
        return (
            Person.objects.filter(articles__live=True)
            .annotate(latest_article=Max("articles__last_published_at"))
            .order_by("slug")
        )

    def lastmod(self, person):
        # An author page changes when one of their articles is (re)published.
        return person.latest_article
