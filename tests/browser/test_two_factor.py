"""The two-step sign-in pages, as a new medical reviewer meets them: accessible to axe-core."""

import pytest

from tests.browser.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
PASSWORD = "a long test password 4 reviewers"


def test_setting_up_and_entering_a_code_are_accessible(
    site, browser_page, assert_accessible, settings
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    settings.ADMIN_TWO_FACTOR = True
    reviewer = get_user_model().objects.create_user("reviewer-2fa", "r@example.org", PASSWORD)
    group, _ = Group.objects.get_or_create(name="Medical reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    reviewer.groups.add(group)

    page = browser_page
    page.goto(site["base"] + "/admin/login/")
    page.fill("input[name=username]", "reviewer-2fa")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/two-factor/setup/**")
    assert_accessible(page)
    page.fill("input[name=code]", "000000")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").get_by_text("That code does not match").is_visible()
    assert_accessible(page)  # the error, tied to its field
