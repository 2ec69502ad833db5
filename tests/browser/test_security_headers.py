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


def test_two_step_sign_in_and_the_page_editor_break_none_of_the_admin_policy(
    site, enforcing_page, settings
):
    """The whole first sign-in of a superuser as production has it: password, setting up an
    authenticator app, recovery codes, then the page editor."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from healthpress.articles.models import ArticlePage

    settings.ADMIN_TWO_FACTOR = True
    get_user_model().objects.create_superuser("csp-editor", "csp@example.org", PASSWORD)
    article = ArticlePage.objects.live().first()
    page = enforcing_page
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(site["base"] + "/admin/login/")
    page.fill("input[name=username]", "csp-editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/two-factor/setup/**")
    assert page.locator(".two-factor-qr svg").count() == 1
    device = TOTPDevice.objects.get(user__username="csp-editor", confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("input[name=code]", f"{code:06d}")
    page.click("button[type=submit]")
    page.locator(".recovery-codes li").first.wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    page.click("text=I have saved them")
    page.wait_for_url(site["base"] + "/admin/")
    assert refused == []
    assert csp_problems(page, f"{site['base']}/admin/pages/{article.pk}/edit/") == []
    assert page.locator("text=Short answer").first.is_visible()
    # The preview of the draft: the public template, served under the admin's policy.
    assert csp_problems(page, f"{site['base']}/admin/pages/{article.pk}/view_draft/") == []
    assert page.locator("h1", has_text=article.title).is_visible()
    assert CHROMIUM_ARGS  # launched with the project's flags (conftest)
