"""Every public page carries a strict Content-Security-Policy, a Permissions-Policy and
Cross-Origin-Resource-Policy, also when served from the page cache; the admin has its own policy."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_the_article_carries_the_strict_policy_on_a_miss_and_on_a_hit(
    client, make_article, page_cache_on
):
    page = make_article()
    for expected in ("miss", "hit"):
        response = client.get(page.url)
        assert response["X-Page-Cache"] == expected
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_every_kind_of_public_page_has_the_headers(client, make_article):
    page = make_article()
    urls = ["/", page.get_parent().url, page.url, page.author.get_absolute_url(), "/search/?q=x"]
    for url in [*urls, "/feeds/rss/", "/sitemap.xml", "/robots.txt", "/no-such-page/"]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "Permissions-Policy" in response, url


def test_the_admin_gets_its_own_policy(admin_client):
    response = admin_client.get("/admin/")
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]  # it frames its own previews
    assert policy["object-src"] == ["'none'"]
