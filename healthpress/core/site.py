"""Creating the site's fixed structure: one HomePage as the root of the default Site, and topics."""

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
    for placeholder in root.get_children().filter(slug="home"):
        if placeholder.specific_class is Page and not placeholder.get_children().exists():
            placeholder.delete()
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
