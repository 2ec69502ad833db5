"""Reports → Article health in Chromium: an editor finds it, sorts it, filters it, opens an
article's detail view, and axe-core finds no problem on either page."""

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PASSWORD = "edit-the-health-report-123"


@pytest.fixture
def editor(site, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("healtheditor", "e@health.example", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("healtheditor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")


def test_editor_uses_the_report_and_it_passes_axe(site, browser_page, editor, assert_accessible):
    from healthpress.articles.models import ArticlePage

    page = browser_page
    log_in(page, site["base"])
    page.goto(site["base"] + "/admin/reports/article-health/")
    assert page.get_by_role("heading", name="Article health").count() >= 1
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == min(ArticlePage.objects.live().count(), 50)
    assert_accessible(page)

    page.locator("thead").get_by_role("link", name="Reading grade").click()
    page.wait_for_url("**ordering=grade**")

    page.locator("table.listing tbody tr").first.locator("td.title a").click()
    page.wait_for_url("**/admin/reports/article-health/*/")
    assert page.get_by_role("heading", name="Reference checks").is_visible()
    assert_accessible(page)
