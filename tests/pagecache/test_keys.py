"""The key a page is filed under: origin, path and canonical query; hosts Django refuses never
reach the cache."""

import pytest

from healthpress.pagecache.keys import canonical_query, environ_origin
from tests.pagecache.conftest import call_wsgi


@pytest.fixture
def two_hosts(page_cache_on, settings):
    settings.ALLOWED_HOSTS = ["testserver", "answers.example.org"]


@pytest.mark.parametrize(
    "query, key",
    [
        ("", ""),
        ("cpage=2&corder=newest", "corder=newest&cpage=2"),
        ("corder=newest&cpage=2", "corder=newest&cpage=2"),
        # An encoded '&' is part of a value, not a second parameter: it must not share a key.
        ("corder=newest%26cpage%3D2", "corder=newest%26cpage%3D2"),
        ("utm_source=mail&fbclid=x&cpage=2", "cpage=2"),
        ("gclid=abc", ""),
        ("cpage=2&cpage=3", None),
        ("q=knees", None),
        ("cpage=" + "9" * 65, None),
        ("&".join(f"utm_{n}=x" for n in range(30)), None),
    ],
)
def test_only_allowed_parameters_make_a_key_sorted_and_encoded(query, key):
    assert canonical_query(query) == key


def test_hosts_are_checked_as_django_checks_them(settings):
    settings.ALLOWED_HOSTS = [".example.org"]
    environ = {"wsgi.url_scheme": "http", "SERVER_NAME": "x", "SERVER_PORT": "80"}
    assert environ_origin({**environ, "HTTP_HOST": "a.example.org"}) == "http://a.example.org"
    assert environ_origin({**environ, "HTTP_HOST": "evil.example.com"}) is None
    assert environ_origin({**environ, "HTTP_HOST": "a.example.org:8080"}) == (
        "http://a.example.org:8080"
    )
    settings.ALLOWED_HOSTS = ["other.example"]  # a changed setting is not answered from memory
    assert environ_origin({**environ, "HTTP_HOST": "a.example.org"}) is None


@pytest.mark.django_db
def test_a_page_is_filed_under_the_host_it_was_served_for(client, make_article, two_hosts):
    page = make_article()
    assert client.get(page.url, HTTP_HOST="answers.example.org")["X-Page-Cache"] == "miss"
    assert client.get(page.url)["X-Page-Cache"] == "miss"  # not the other host's copy
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    assert client.get(page.url, HTTP_HOST="answers.example.org")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_host_outside_allowed_hosts_gets_400_even_for_a_cached_path(
    client, make_article, two_hosts, django_wsgi
):
    page = make_article()
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    for host in ["evil.example", "testserver.evil.example", "testserver:80@evil", "<b>x</b>"]:
        response = client.get(page.url, HTTP_HOST=host)
        assert response.status_code == 400, host
        assert "X-Page-Cache" not in response
    app = django_wsgi  # the front that answers hits before Django
    status, headers, _ = call_wsgi(app, page.url, HTTP_HOST="evil.example")
    assert status.startswith("400") and "X-Page-Cache" not in headers
    status, headers, _ = call_wsgi(app, page.url)
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
