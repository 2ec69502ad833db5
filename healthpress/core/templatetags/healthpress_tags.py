"""Site-wide template helpers: the site name, canonical addresses and the topic navigation."""

import datetime

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.dates import MONTHS
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
