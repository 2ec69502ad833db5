"""Absolute URLs come from the Wagtail Site's root URL (BASE_URL when no Site matches), never
from the request's Host header: a cached page, feed or sitemap is served to every later reader,
so the host of whoever fetched it first must not be in it."""

import json
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Site

from healthpress.core.site import site_root_url, use_base_url_for_default_site
from healthpress.demo.loader import load_demo
from tests.core.test_settings import run_settings

SITE_HOST = "health.example.org"
SITE = f"https://{SITE_HOST}"  # the Site below: port 443
OTHER_HOST = "other.example:8080"
# Namespaces and vocabularies that feeds, sitemaps and JSON-LD name, not addresses of ours.
FOREIGN_HOSTS = {"www.w3.org", "www.sitemaps.org", "purl.org", "schema.org", "www.google.com"}


@pytest.fixture
def site(home, settings):
    """The default Site at https://health.example.org, with the page cache on."""
    settings.PAGE_CACHE_SECONDS = 3600
    settings.ALLOWED_HOSTS = [SITE_HOST, "other.example"]
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = SITE_HOST, 443
    site.save()
    caches["pages"].clear()
    yield site
    caches["pages"].clear()


@pytest.fixture
def article(site, make_article):
    return make_article()


def our_urls(body):
    """Every absolute http(s) address in a response body, except the XML and schema.org ones."""
    urls = re.findall(r"""https?://[^\s"'<>\\]+""", body)
    return [url for url in urls if urlsplit(url).hostname not in FOREIGN_HOSTS]


def fetch_first_elsewhere(client, url):
    """Fetch `url` first under another allowed host, then as a reader of the Site would."""
    first = client.get(url, HTTP_HOST=OTHER_HOST)
    later = client.get(url, HTTP_HOST=SITE_HOST)
    assert first.status_code == later.status_code == 200
    return first.content.decode(), later.content.decode()


def assert_only_site_urls(body):
    urls = our_urls(body)
    assert urls, "expected absolute addresses in the response"
    assert all(url.startswith(SITE + "/") for url in urls), urls
    assert "other.example" not in body


def feed_urls(xml):
    """The addresses a feed reader follows: link elements, rel links, guids and author URIs."""
    urls = []
    for element in ElementTree.fromstring(xml).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if "href" in element.attrib:
            urls.append(element.attrib["href"])
        elif tag in {"link", "guid", "uri", "id"} and element.text:
            urls.append(element.text.strip())
    return urls


# Every kind of public address that carries absolute URLs, by the article it shows.
ADDRESSES = {
    "article": lambda article: article.url,
    "topic": lambda article: article.topic.url,
    "home": lambda article: "/",
    "author": lambda article: article.author.get_absolute_url(),
    "authors": lambda article: reverse("people:index"),
    "sitemap": lambda article: "/sitemap.xml",
    "robots": lambda article: "/robots.txt",
    "rss": lambda article: reverse("feeds:rss"),
    "atom": lambda article: reverse("feeds:atom"),
    "topic-rss": lambda article: reverse("feeds:topic_rss", args=[article.topic.slug]),
    "topic-atom": lambda article: reverse("feeds:topic_atom", args=[article.topic.slug]),
}


@pytest.mark.parametrize("kind", ADDRESSES)
def test_the_first_visitors_host_never_reaches_later_readers(client, article, kind):
    # The cache files each origin apart, so `later` may be a render of its own: both must name
    # the Site only.
    first, later = fetch_first_elsewhere(client, ADDRESSES[kind](article))
    assert_only_site_urls(first)
    assert_only_site_urls(later)


def test_article_canonical_og_url_and_json_ld_are_on_the_site(client, article):
    html = fetch_first_elsewhere(client, article.url)[1]
    own = SITE + article.url
    assert f'<link rel="canonical" href="{own}">' in html
    assert f'<meta property="og:url" content="{own}">' in html
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    data = json.loads(script)
    assert data["@id"] == data["url"] == own
    assert data["publisher"]["url"] == SITE + "/"
    assert data["publisher"]["logo"].startswith(SITE + "/")
    assert data["author"]["url"] == SITE + article.author.get_absolute_url()
    trail = [item["item"] for item in data["breadcrumb"]["itemListElement"]]
    assert trail == [SITE + "/", SITE + article.topic.url, own]


def test_author_page_canonical_is_on_the_site(client, article):
    own = SITE + article.author.get_absolute_url()
    html = fetch_first_elsewhere(client, article.author.get_absolute_url())[1]
    assert f'<link rel="canonical" href="{own}">' in html
    assert f'<meta property="og:url" content="{own}">' in html


def test_sitemap_pages_and_authors_share_the_sites_origin(client, article):
    index = re.findall(r"<loc>(.*?)</loc>", fetch_first_elsewhere(client, "/sitemap.xml")[1])
    assert index and {urlsplit(loc)[:2] for loc in index} == {("https", SITE_HOST)}
    xml = "".join(fetch_first_elsewhere(client, urlsplit(loc).path)[1] for loc in index)
    locs = re.findall(r"<loc>(.*?)</loc>", xml)
    assert SITE + article.url in locs
    assert SITE + article.author.get_absolute_url() in locs
    assert {urlsplit(loc)[:2] for loc in locs} == {("https", SITE_HOST)}


def test_robots_txt_names_the_sites_sitemap(client, site):
    body = fetch_first_elsewhere(client, "/robots.txt")[1]
    assert f"Sitemap: {SITE}/sitemap.xml\n" in body


@pytest.mark.parametrize("name", ["feeds:rss", "feeds:atom"])
def test_feed_links_and_self_address_are_on_the_site(client, article, name):
    xml = fetch_first_elsewhere(client, reverse(name))[1]
    urls = feed_urls(xml)
    assert SITE + reverse(name) in urls  # the feed's own (rel="self") address
    assert SITE + article.url in urls
    if name == "feeds:atom":  # RSS 2.0 has no author address
        assert SITE + article.author.get_absolute_url() in urls
    assert all(url.startswith(SITE + "/") for url in urls), urls


HOSTILE_HOSTS = [
    'evil.example"><script>alert(1)</script>',
    "evil.example:8080/<b>x</b>",
    "health.example.org@evil.example",
    "evil.example\r\nX-Injected: 1",
]


@pytest.mark.parametrize("hostile", HOSTILE_HOSTS)
def test_a_hostile_host_header_never_appears_in_any_response(client, article, hostile):
    urls = [article.url, article.author.get_absolute_url(), "/sitemap.xml", "/robots.txt"]
    urls += [reverse("feeds:rss"), reverse("feeds:atom")]
    for url in urls:
        response = client.get(url, HTTP_HOST=hostile)
        assert "evil" not in response.content.decode()
        later = client.get(url, HTTP_HOST=SITE_HOST)
        assert "evil" not in later.content.decode()
        assert_only_site_urls(later.content.decode())


def test_an_unknown_host_with_every_host_allowed_still_gets_the_sites_urls(
    client, article, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    for url in [article.url, "/sitemap.xml", "/robots.txt", reverse("feeds:atom")]:
        body = client.get(url, HTTP_HOST="evil.example").content.decode()
        assert "evil" not in body
        assert_only_site_urls(body)


@pytest.mark.django_db
def test_base_url_is_the_root_when_no_site_matches(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://fallback.example/"
    Site.objects.all().delete()
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert site_root_url(request) == "https://fallback.example"
    assert site_root_url(None) == "https://fallback.example"


@pytest.mark.parametrize(
    "base_url, root_url",
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("https://health.example.org", "https://health.example.org"),
        ("http://health.example.org/", "http://health.example.org"),
    ],
)
def test_demo_site_setup_follows_base_url(home, settings, base_url, root_url):
    settings.WAGTAILADMIN_BASE_URL = base_url
    use_base_url_for_default_site()
    assert Site.objects.get(is_default_site=True).root_url == root_url


def test_every_loc_in_the_demo_sitemap_opens_on_the_address_served(client, settings, db):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    load_demo(admin=False)
    index = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8123").content.decode()
    files = re.findall(r"<loc>(.*?)</loc>", index)
    xml = "".join(
        client.get(urlsplit(loc).path, HTTP_HOST="127.0.0.1:8123").content.decode()
        for loc in files
    )
    locs = files + re.findall(r"<loc>(.*?)</loc>", xml)
    assert len(locs) > 10
    for loc in locs:
        assert loc.startswith("http://127.0.0.1:8123/"), loc
        response = client.get(urlsplit(loc).path, HTTP_HOST="127.0.0.1:8123")
        assert response.status_code == 200, loc


def test_base_url_follows_port_when_not_set(monkeypatch, tmp_path):
    monkeypatch.delenv("BASE_URL", raising=False)
    code = "print(settings.WAGTAILADMIN_BASE_URL)"
    environ = {"HEALTHPRESS_VAR_DIR": str(tmp_path)}
    result = run_settings("healthpress.settings.dev", {**environ, "PORT": "8080"}, code=code)
    assert result.stdout.strip() == "http://127.0.0.1:8080", result.stderr
    result = run_settings("healthpress.settings.dev", {**environ, "PORT": ""}, code=code)
    assert result.stdout.strip() == "http://127.0.0.1:8000", result.stderr
