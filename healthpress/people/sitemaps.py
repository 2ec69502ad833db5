from django.contrib.sitemaps import Sitemap

from .models import Person


class AuthorSitemap(Sitemap):
    def items(self):
        return Person.objects.filter(articles__live=True).distinct().order_by("slug")
