"""No calling home: the admin, opened in Chromium, asks nothing of any host but ours.

Wagtail's admin would otherwise fetch avatars from gravatar.com and, on a superuser's dashboard,
the latest version from releases.wagtail.org (settings: WAGTAIL_GRAVATAR_PROVIDER_URL,
WAGTAIL_ENABLE_UPDATE_CHECK). The browser context here bypasses the admin's Content-Security-Policy
(conftest.browser_page), so a request the markup or scripts attempt shows up in the network log
even though the policy would block it in production.
"""

from urllib.parse import urlsplit

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PASSWORD = "stay-at-home-admin-123"


@pytest.fixture
def superuser(site, django_user_model):
    # An email address: the one thing Wagtail needs to ask Gravatar for an avatar.
    return django_user_model.objects.create_superuser("homebody", "homebody@example.org", PASSWORD)


def test_admin_pages_request_nothing_from_another_host(site, browser_page, superuser):
    from wagtail.models import WorkflowState

    from healthpress.articles.models import ArticlePage

    page = browser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    base = site["base"]
    # The demo's article in review, if there is one: its editor shows the workflow panels too.
    in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).first()
    article = in_review.content_object if in_review else ArticlePage.objects.live().first()

    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(superuser.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")
    page.wait_for_load_state("networkidle")
    # The dashboard a superuser sees has no upgrade banner to fill in.
    assert page.locator("[data-controller~=w-upgrade]").count() == 0
    for path in (f"/admin/pages/{article.pk}/edit/", "/admin/comments/"):
        response = page.goto(base + path)
        assert response.ok and page.url == base + path, page.url
        page.wait_for_load_state("networkidle")

    ours = urlsplit(base).netloc
    pages = {urlsplit(url).path for url in requested}
    assert {"/admin/", f"/admin/pages/{article.pk}/edit/", "/admin/comments/"} <= pages
    elsewhere = sorted({url for url in requested if urlsplit(url).netloc != ours})
    # data: and blob: URLs never leave the browser.
    assert [url for url in elsewhere if urlsplit(url).scheme not in {"data", "blob"}] == []
