"""core/sites.py must pick the Site that Wagtail's own lookup picks, in every configuration."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from healthpress.articles.models import ReviewSettings
from healthpress.core.sites import find_site

CONFIGURATIONS = {
    "one default site": [("localhost", 80, True)],
    "a default and another host": [("localhost", 80, True), ("example.com", 80, False)],
    "one host on two ports, default elsewhere": [
        ("b.example", 80, True),
        ("a.example", 80, False),
        ("a.example", 8080, False),
    ],
    "one host on two ports, no default": [("a.example", 80, False), ("a.example", 8080, False)],
    "the default shares its host with another port": [
        ("a.example", 80, True),
        ("a.example", 8080, False),
    ],
    "no site at all": [],
}
REQUESTS = [
    (host, port)
    for host in ("localhost", "example.com", "a.example", "b.example", "unknown.example")
    for port in (80, 443, 8080, 9000)
]


def wagtail_answer(hostname, port):
    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_the_same_site_as_wagtail_for_every_host_and_port(home, name):
    Site.objects.all().delete()
    for hostname, port, default in CONFIGURATIONS[name]:
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=home)
    for hostname, port in REQUESTS:
        ours = find_site(hostname, port)
        theirs = wagtail_answer(hostname, port)
        assert (ours and ours.pk) == (theirs and theirs.pk), (name, hostname, port)


def test_home_page_and_review_settings_come_with_the_site(home):
    site = Site.objects.get(is_default_site=True)
    saved = ReviewSettings.for_site(site)
    saved.disclaimer = "Ask your pharmacist."
    saved.save()
    found = find_site(site.hostname, site.port)
    with CaptureQueriesContext(connection) as queries:
        assert found.root_page.specific is found.root_page
        assert type(found.root_page).__name__ == "HomePage"
        assert ReviewSettings.for_site(found).disclaimer == "Ask your pharmacist."
    assert len(queries) == 0


def test_a_site_without_saved_settings_still_gets_them(home):
    site = Site.objects.get(is_default_site=True)
    ReviewSettings.objects.filter(site=site).delete()
    found = find_site(site.hostname, site.port)
    settings = ReviewSettings.for_site(found)
    assert settings.pk and settings.site_id == site.pk


def test_pages_are_served_for_the_site_wagtail_would_choose(client, make_article):
    page = make_article()
    response = client.get(page.url)
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_site == Site.objects.get(is_default_site=True)
