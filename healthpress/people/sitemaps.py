from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Person


class AuthorSitemap(Sitemap):
    def items(self):
        return (
            Person.objects.filter(articles__live=True)
            .annotate(latest_article=Max("articles__last_published_at"))
            .order_by("slug")
        )

    def lastmod(self, person):
        # An author page changes when one of their articles is (re)published.
        return person.latest_article
