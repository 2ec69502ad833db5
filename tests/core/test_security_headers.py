"""Every public page carries a strict Content-Security-Policy, a Permissions-Policy and
Cross-Origin-Resource-Policy, also when served from the page cache; the admin has its own policy."""

import json

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


@pytest.fixture(scope="module")
def production_middleware(tmp_path_factory):
    """settings.MIDDLEWARE as the production settings build it (read in a subprocess: they
    refuse to load without their environment)."""
    from tests.core.test_settings import run_settings

    result = run_settings(
        "healthpress.settings.production",
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "testserver",
            "EMAIL_HOST": "smtp.health.example",
            "HEALTHPRESS_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        },
        code="import json; print(json.dumps(settings.MIDDLEWARE))",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_static_files_carry_the_same_headers_as_pages_in_production(
    client, settings, production_middleware, tmp_path
):
    """WhiteNoise answers /static/ itself, so in production's middleware order it must come
    after every header middleware: an SVG opened on its own is a document on our origin."""
    settings.MIDDLEWARE = production_middleware
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in the test
    settings.STATIC_ROOT = str(tmp_path)
    response = client.get("/static/img/favicon.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "whitenoise" in type(response).__module__  # served by WhiteNoise, not Django
    policy = directives(response)
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY
    assert response["X-Frame-Options"] == "DENY"
