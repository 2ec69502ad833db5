"""The site's fixed structure (one HomePage as the root of the default Site, and topics) and its
public address.

Every absolute URL we write (canonical links, JSON-LD, feeds, sitemap, robots.txt) starts with
`site_root_url(request)`: the root URL configured on the request's Wagtail Site, never the Host
header. A cached page is served to everyone, so an address taken from the first visitor's Host
would be shown to all later ones.
"""

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from .models import HomePage, TopicPage


@transaction.atomic
def ensure_home_page(title="HealthPress", intro=""):
    """Return the HomePage, replacing Wagtail's placeholder “Welcome” page on a fresh database."""
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    for welcome in _welcome_pages(root):
        welcome.delete()
    root.refresh_from_db()
    home = root.add_child(instance=HomePage(title=title, slug="home", intro=intro))
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page = home
        site.site_name = site.site_name or title
        site.save()
    else:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=title
        )
    return home


@dataclass
class SiteSetUp:
    """What set_up_site() did: the home page (made now, in place of Wagtail's welcome page, or
    kept) and the default Site (changed or already as asked)."""

    home: HomePage
    home_created: bool
    welcome_replaced: bool
    site: Site
    site_changed: bool


@transaction.atomic
def set_up_site(name, hostname, port=443):
    """A new site's structure (`manage.py start_site`): the HomePage, titled `name`, in place of
    Wagtail's untouched welcome page, and the default Site, named `name`, answering on
    hostname:port with the home page as its root. Safe to repeat: a home page that exists is the
    editors' to change and is kept; the Site is set to these values. Raises ValidationError when
    a page other than the welcome page holds the home page's place (/home/), or the Site cannot
    take the values (another Site answers on that host and port)."""
    home_created = not HomePage.objects.exists()
    welcome = home_created and bool(_welcome_pages(Page.get_first_root_node()))
    home = ensure_home_page(title=name)  # deleting the welcome page deletes its Site
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    wanted = {"hostname": hostname, "port": port, "site_name": name, "root_page_id": home.pk}
    changed = site.pk is None or any(getattr(site, f) != v for f, v in wanted.items())
    if changed:
        for field, value in wanted.items():
            setattr(site, field, value)
        site.full_clean()  # hostname and port unique among Sites, one default
        site.save()
    return SiteSetUp(home, home_created, welcome, site, changed)


def _welcome_pages(root):
    """Wagtail's "Welcome to your new Wagtail site!" as its first migration leaves it: a plain
    Page at /home/ under the root, with nothing under it. Anything else there is someone's."""
    return [
        page
        for page in root.get_children().filter(slug="home")
        if page.specific_class is Page and not page.get_children().exists()
    ]


def site_root_url(request=None):
    """The root URL ("https://host[:port]") of the request's Wagtail Site, as Wagtail picks it
    (falling back to the default Site); BASE_URL when no Site matches or there is no request."""
    site = Site.find_for_request(request)
    return (site.root_url if site else settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def absolute(path):
    """`path` (from `reverse()` or a page's URL) on BASE_URL: links in emails and tasks, where no
    request says which Site the reader used; a URL that is already absolute is kept. The one copy
    every app's mail links call."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def absolute_url(request, path):
    """`path` on the request's Site; a URL that is already absolute (a CDN's) is kept."""
    return urljoin(site_root_url(request) + "/", path)


def use_base_url_for_default_site():
    """Give the default Site the hostname and port of BASE_URL, so that the addresses it writes
    are the ones the server answers on (`make run` serves 127.0.0.1:$PORT)."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    hostname = address.hostname
    port = address.port or (443 if address.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


def find_topic(name_or_slug):
    return (
        TopicPage.objects.filter(slug=slugify(name_or_slug)).first()
        or TopicPage.objects.filter(title__iexact=name_or_slug.strip()).first()
    )


@transaction.atomic
def get_or_create_topic(name, intro=""):
    """The topic called `name` (or with that slug), created and published under home if missing."""
    topic = find_topic(name)
    if topic:
        return topic, False
    home = ensure_home_page()
    topic = home.add_child(instance=TopicPage(title=name.strip(), slug=slugify(name), intro=intro))
    topic.save_revision().publish()
    return topic, True
