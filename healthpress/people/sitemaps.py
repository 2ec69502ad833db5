"""The author pages' entries in /sitemap.xml, at the same address as Wagtail's page entries."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from healthpress.core.site import site_root_url

from .models import Person, article_model


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
        # Asked twice for the index (its lastmod, its count): answered once per request.
        if not hasattr(self, "_people"):
            self._people = self._authors()
        return self._people

    def _authors(self):
        # The live articles grouped by author id alone, in one pass, then the people: grouping
        # the join of every article with its author's whole row took 100-200 ms at 20,000
        # articles on SQLite, and asking per person made PostgreSQL hash each author's
        # articles (280 ms at 10,000; docs/performance.md).
        newest = dict(
            # live and public: the authors' index's rule (people/views.py)
            article_model().objects.live()
            .public()
            .filter(author__isnull=False)
            .order_by()
            .values("author")
            .annotate(latest=Max("last_published_at"))
            .values_list("author", "latest")
        )
        people = list(Person.objects.filter(pk__in=newest).order_by("slug"))
        for person in people:
            person.latest_article = newest[person.pk]
        return people

    def lastmod(self, person):
        # An author page changes when one of their articles is (re)published.
        return person.latest_article
