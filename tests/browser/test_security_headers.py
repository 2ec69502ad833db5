"""Real Chromium, with its Content-Security-Policy enforcement on: no public page and not the
Wagtail page editor breaks the policy they are served with."""

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
PASSWORD = "a long test password 4 editors"


def csp_problems(page, url):
    """Console reports of anything the policy refused, while `url` loads and settles."""
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    response = page.goto(url)
    assert response.status < 400, url
    page.wait_for_load_state("networkidle")
    return refused


@pytest.fixture
def enforcing_page(chromium):
    """A page whose context honours CSP (the accessibility fixture bypasses it to inject axe)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_public_pages_break_none_of_their_policy(site, enforcing_page):
    urls = [
        site["base"] + "/",
        site["topic"],
        site["article"],
        site["author"],
        site["base"] + "/search/?q=cramps+at+night",
    ]
    for url in urls:
        assert csp_problems(enforcing_page, url) == [], url


def test_the_page_editor_breaks_none_of_the_admin_policy(site, enforcing_page):
    from django.contrib.auth import get_user_model

    from healthpress.articles.models import ArticlePage

    get_user_model().objects.create_superuser("csp-editor", "csp@example.org", PASSWORD)
    article = ArticlePage.objects.live().first()
    page = enforcing_page
    page.goto(site["base"] + "/admin/login/")
    page.fill("input[name=username]", "csp-editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(site["base"] + "/admin/")
    assert csp_problems(page, f"{site['base']}/admin/pages/{article.pk}/edit/") == []
    assert page.locator("text=Short answer").first.is_visible()
    assert CHROMIUM_ARGS  # launched with the project's flags (conftest)
