"""/sitemap.xml: an index of sitemap files of at most SITEMAP_LIMIT addresses each (issue 27).

The sitemap protocol allows 50,000 addresses a file; at 100,000 articles one file would be too big
to build in a request. So /sitemap.xml is Django's sitemap index, listing one file per section
(/sitemap-pages.xml, /sitemap-authors.xml) and Django's pages of it beyond the first
(/sitemap-pages.xml?p=2): Wagtail's Sitemap for the pages and people's AuthorSitemap, each
paginated by Django at SITEMAP_LIMIT. Each file is a page like any other for the page cache, and
the articles' purge rules purge the index and each section's file (site_wide_listing_paths).
Pages past the first (`?p=`) are not kept by the page cache, which keeps no parameter it would
have to refuse on every other page (WordPress-style `?p=123` links must not 404); each is built
in a constant number of queries (tests/core/test_sitemaps.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

from healthpress.core.canonical_params import canonical_query
from healthpress.core.pages import every_page
from healthpress.core.site import site_root_url
from healthpress.people.sitemaps import AuthorSitemap

SECTION_URL_NAME = "sitemap_section"


class LimitedSitemap:
    """A sitemap whose files hold at most SITEMAP_LIMIT addresses (read per request, so a test
    can lower it)."""

    @property
    def limit(self):
        return settings.SITEMAP_LIMIT


class PageSitemap(LimitedSitemap, WagtailSitemap):
    def items(self):
        # Wagtail's own items(), its pages read through core/pages.py: Wagtail's public() joins
        # the restrictions to the page table, a scan of every page on SQLite (issue 29).
        return (
            every_page()
            .descendant_of(self.get_wagtail_site().root_page, inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: the whole site, for the index alone.
        # An article's review counts as a change too (ArticlePage.get_sitemap_urls).
        from healthpress.articles.models import ArticlePage

        items = self.items()
        published = items.aggregate(at=Max("last_published_at"))["at"]
        reviewed = ArticlePage.objects.filter(pk__in=items.values("pk"))
        reviewed = reviewed.aggregate(on=Max("last_reviewed"))["on"]
        if reviewed and (published is None or reviewed > published.date()):
            return reviewed  # Django's index compares dates with datetimes
        return published


class PagedAuthorSitemap(LimitedSitemap, AuthorSitemap):
    pass


def sections(request):
    return {"pages": PageSitemap(request), "authors": PagedAuthorSitemap(request)}


@canonical_query()
def sitemap_index(request):
    """Django's index view, with each file's address on the Site's root URL: Django writes the
    request's Host there, and a cached index must not carry the Host of whoever asked first."""
    response = wagtail_sitemap_views.index(
        request, sections(request), sitemap_url_name=SECTION_URL_NAME
    )
    root = site_root_url(request)
    response.context_data["sitemaps"] = [
        SitemapIndexItem(root + _path_and_query(item.location), item.last_mod)
        for item in response.context_data["sitemaps"]
    ]
    return response


@canonical_query()  # `?p=`, Django's page of a section, is not a parameter the page cache keeps
def sitemap_section(request, section):
    return wagtail_sitemap_views.sitemap(request, sections(request), section=section)


def _path_and_query(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
