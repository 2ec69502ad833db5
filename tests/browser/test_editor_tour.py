"""The editor's tour (docs/editors.md) in Chromium: an administrator signs in to the demo site,
axe-core checks the admin listings no other browser test covers, and `make screenshot` saves the
pictures the tour shows."""

import os
from pathlib import Path

import pytest
from PIL import Image

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PASSWORD = "take-the-editor-tour-123"
SUBSCRIBERS = "/admin/snippets/newsletter/subscriber/"
QUESTIONS = "/admin/questions/"


@pytest.fixture
def administrator(site, django_user_model):
    return django_user_model.objects.create_superuser("guide", "guide@example.org", PASSWORD)


def sign_in(page, base, user):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")


def test_admin_listings_pass_axe(site, browser_page, administrator, assert_accessible):
    """The subscribers and questions listings, with the demo's rows in them (the dashboard, the
    comments and editions listings and the article health report have their own tests)."""
    page = browser_page
    sign_in(page, site["base"], administrator)

    page.goto(site["base"] + SUBSCRIBERS)
    assert page.locator("table.listing tbody tr").count() >= 2  # the demo's two subscribers
    assert_accessible(page)

    page.goto(site["base"] + QUESTIONS)
    assert page.locator("table.listing tbody tr").count() >= 2  # the demo's two questions
    assert_accessible(page)


def save(page, folder, name, full_page=False):
    """A PNG of the page in a 64-colour palette: as readable, and small enough to commit."""
    target = folder / name
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(target), full_page=full_page)
    with Image.open(target) as shot:
        shot.convert("RGB").quantize(colors=64).save(target, optimize=True)
    assert target.stat().st_size > 10_000, name


def test_screenshot_editor_tour(site, browser_page, administrator):
    """`make screenshot`: the admin screens docs/editors.md walks through."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        pytest.skip("set SCREENSHOT_DIR to take screenshots")
    from wagtail.models import WorkflowState

    from healthpress.articles.models import ArticlePage
    from healthpress.people.models import Person

    out = Path(folder) / "editors"
    out.mkdir(parents=True, exist_ok=True)
    base = site["base"]
    page = browser_page
    sign_in(page, base, administrator)
    save(page, out, "dashboard.png")

    in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).get()
    # The demo's plain draft: not live, and not the one in review.
    draft = ArticlePage.objects.filter(live=False).exclude(pk=in_review.object_id).first()
    page.goto(base + f"/admin/pages/{draft.pk}/edit/")
    save(page, out, "article-editor.png")

    # The article in review, as a medical reviewer meets it: the status panel and the footer's
    # review actions. Approving needs a Person who is not the author (articles/review.py).
    article = in_review.content_object.specific
    reviewer = Person.objects.filter(user=None).exclude(pk=article.author_id).first()
    Person.objects.filter(pk=reviewer.pk).update(user=administrator)
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="Toggle status").click()
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Approve").first.wait_for()
    save(page, out, "review-workflow.png")

    page.goto(base + "/admin/comments/?status=")
    save(page, out, "comments.png")

    page.goto(base + QUESTIONS + "?status=new")
    save(page, out, "questions.png")

    # The report narrowed to two of its problems, so the demo's rows that need work show first.
    page.goto(base + "/admin/reports/article-health/?problem=review_due&problem=above_target")
    save(page, out, "article-health.png")

    page.goto(base + SUBSCRIBERS)
    save(page, out, "subscribers.png")
