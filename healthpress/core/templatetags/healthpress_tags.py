"""Site-wide template helpers: the site name, canonical addresses and the topic navigation."""

import datetime

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Site

from healthpress.core.navigation import live_topics
from healthpress.core.site import absolute_url, site_root_url
from healthpress.pagecache.memo import purge_bound

register = template.Library()


@register.simple_tag
def site_name():
    return settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's own address without query string: Wagtail pages use their Site's root URL."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_full_url"):
        url = page.get_full_url(request)
        if url:
            return url
    if request is not None:
        return absolute_url(request, request.path)
    return ""


@register.simple_tag(takes_context=True, name="site_root_url")
def site_root_url_tag(context):
    """The Site's root URL (no trailing slash), for absolute links to views that are not pages."""
    return site_root_url(context.get("request"))


@register.simple_tag
def home_url():
    """The home page's address: a Site's root page is served at the root of Wagtail's serve URLs,
    the path Page.get_url() writes for it (relative, as {% pageurl %} writes it). No query, so
    the 500 and 503 pages, rendered without the database, link home the same way."""
    return reverse("wagtail_serve", args=("",))


@register.simple_tag
def get_topics():
    return live_topics()


@register.inclusion_tag("core/includes/topic_nav.html", takes_context=True)
def topic_nav(context):
    """The header's topic links; the topic being read (or the article's topic) is marked."""
    page_pk = getattr(context.get("page"), "pk", None)
    parent_pk = getattr(context.get("topic"), "pk", None)
    links = []
    for pk, title, url in topic_links(context.get("request")):
        if pk == page_pk:
            current = "page"
        elif pk == parent_pk:
            current = "true"
        else:
            current = ""
        links.append({"title": title, "url": url, "current": current})
    return {"links": links}


def topic_links(request):
    """(pk, title, address) of each live topic. An address depends on the Site the request is
    for (relative on its own site), so the list is kept per Site until the next purge."""

    def build():
        return [(topic.pk, topic.title, topic.get_url(request)) for topic in live_topics()]

    site = Site.find_for_request(request) if request is not None else None
    return purge_bound(("topic-links", site.pk), build) if site is not None else build()


@register.filter(expects_localtime=True)
def iso_date(value):
    """YYYY-MM-DD in the site's time zone, for <time datetime>: what |date:"Y-m-d" gives, at a
    quarter of the cost (the article page shows a dozen of them). Like |date, it is handed
    datetimes already in the current time zone."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else ""


@register.filter(expects_localtime=True)
def long_date(value):
    """ "1 March 2026" in the site's time zone: what |date:"j F Y" gives, at a fifth of the cost
    (the article page shows a dozen dates). The month's name is translated as |date's is."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.day} {MONTHS[value.month]} {value.year:04d}"


@register.filter(expects_localtime=True)
def iso_datetime(value):
    """ISO 8601 in the site's time zone: what |date:"c" gives."""
    return value.isoformat() if isinstance(value, datetime.datetime) else ""


@register.simple_tag
def sitemap_entries(urlset):
    """The <url> entries of a sitemap file (templates/sitemap.xml), written here rather than by
    a template loop: the loop took over a second for a file of 10,000 addresses (issue 27,
    docs/performance.md). The same elements Django's sitemap template writes, plus each entry's
    `images` (<image:image>)."""
    clock = timezone.get_current_timezone()
    return mark_safe("".join(_sitemap_entry(url, clock) for url in urlset))


def _sitemap_entry(url, clock):
    parts = [f"<url><loc>{escape(url['location'])}</loc>"]
    if url.get("lastmod"):
        parts.append(f"<lastmod>{_sitemap_day(url['lastmod'], clock)}</lastmod>")
    if url.get("changefreq"):
        parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
    if url.get("priority"):
        parts.append(f"<priority>{escape(url['priority'])}</priority>")
    for alternate in url.get("alternates") or ():
        parts.append(
            f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
            f'href="{escape(alternate["location"])}"/>'
        )
    for image in url.get("images") or ():
        parts.append(f"<image:image><image:loc>{escape(image)}</image:loc></image:image>")
    parts.append("</url>\n")
    return "".join(parts)


def _sitemap_day(value, clock):
    # As the template's `date:"Y-m-d"` wrote it: a datetime on the site's clock.
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(clock)
        value = value.date()
    return value.isoformat()
