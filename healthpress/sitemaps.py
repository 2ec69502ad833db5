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
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import F, Max
from django.urls import reverse
from django.utils.functional import cached_property
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
    """Wagtail's sitemap of the Site's live, public pages, built from rows.

    Wagtail's own builds each page's whole specific object and asks it for its URL: 1.5-4 s for
    a file of 10,000 addresses at 20,000 articles on SQLite (docs/performance.md). Here the
    pages Wagtail's `items()` selects are read as rows of the few columns an entry needs (the
    article's review date and lead image through its table), each address is the page's
    `url_path` under the Site's root, as Wagtail writes it, and the entries are made by Django's
    Sitemap (whose `_urls` Wagtail's replaces; this puts Django's back). The articles' two rules
    (`ArticlePage.get_sitemap_urls`: the review counts as a change, the lead image is listed)
    come from the articles app: `sitemap_lastmod()` and the share image's rendition.
    """

    def get_protocol(self, protocol=None):
        return urlsplit(site_root_url(self.request)).scheme

    def get_domain(self, site=None):
        return urlsplit(site_root_url(self.request)).netloc

    def pages(self):
        # Wagtail's own items() without specific(), its pages read through core/pages.py:
        # Wagtail's public() joins the restrictions to the page table, a scan of every page on
        # SQLite (issue 29).
        return (
            every_page()
            .descendant_of(self.get_wagtail_site().root_page, inclusive=True)
            .live()
            .public()
            .order_by("path")
        )

    def items(self):
        return self.pages().values(
            "url_path",
            "last_published_at",
            "latest_revision_created_at",
            last_reviewed=F("articlepage__last_reviewed"),
            lead_image_id=F("articlepage__lead_image"),
        )

    @cached_property
    def paginator(self):
        # Django counts items() to split the files: the pages alone, without the article
        # table items() joins for each entry's review date and image.
        paginator = super().paginator
        paginator.count = self.pages().count()
        return paginator

    @cached_property
    def _serve_prefix(self):
        # The path Wagtail's pages are served under ("/", or a mount point), and the part of
        # each url_path that the Site's root page stands for.
        root_path = self.get_wagtail_site().root_page.url_path
        return reverse("wagtail_serve", args=("",)), len(root_path)

    def location(self, row):
        prefix, root_length = self._serve_prefix
        return prefix + row["url_path"][root_length:]

    def lastmod(self, row):
        from healthpress.articles.models import sitemap_lastmod

        published = row["last_published_at"] or row["latest_revision_created_at"]
        return sitemap_lastmod(published, row["last_reviewed"])

    def _urls(self, page, protocol, domain):
        urls = DjangoSitemap._urls(self, page, protocol, domain)
        self.add_images(urls)
        return urls

    def add_images(self, urls):
        """Each article's lead image as <image:image> (templates/sitemap.xml): the JPEG link
        previews use, from renditions fetched in one query for the whole file."""
        from wagtail.images import get_image_model

        from healthpress.articles.renditions import SHARE, sized_url

        ids = {url["item"]["lead_image_id"] for url in urls} - {None}
        images = get_image_model().objects.prefetch_renditions().in_bulk(ids) if ids else {}
        shared = {pk: sized_url(image, SHARE, self.request)[0] for pk, image in images.items()}
        for url in urls:
            image = shared.get(url["item"]["lead_image_id"])
            url["images"] = [image] if image else []

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: the whole site, for the index alone.
        # An article's review counts as a change too (ArticlePage.get_sitemap_urls). Each
        # newest date is asked of the site's pages joined to their column, not of a list of
        # every page's id: given an index on the column (none yet, measured in
        # docs/performance.md), both databases would read it from the newest down.
        items = self.pages().order_by()
        published = items.aggregate(at=Max("last_published_at"))["at"]
        reviewed = items.filter(articlepage__last_reviewed__isnull=False)  # an inner join
        reviewed = reviewed.aggregate(on=Max("articlepage__last_reviewed"))["on"]
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
