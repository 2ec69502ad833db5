"""Asking an expert in Chromium with JavaScript switched off: from an article to /ask/, the
matches step, "Ask anyway" and the landing; axe-core finds nothing on any of those pages, nor on
the form's errors or the urgent care card."""

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def quick_forms(settings):
    """A browser fills the form faster than a person; rate limits off for the several posts."""
    from django.core.cache import cache

    cache.clear()
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    settings.QUESTIONS_RATE_LIMITS = []
    settings.SEARCH_RATE_LIMITS = []
    settings.EMERGENCY_NUMBER = "999"


def fill_form(page, question, details=""):
    page.get_by_label("Your question").fill(question)
    if details:
        page.get_by_label("Details (optional)").fill(details)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_ask_without_javascript_through_the_matches_to_the_landing(site, chromium, quick_forms):
    from healthpress.questions.models import Question

    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    scripts = []
    page.on("request", lambda req: scripts.append(req.url) if req.resource_type == "script" else 0)
    page.goto(site["article"])
    page.get_by_role("link", name="Ask our experts").click()
    page.wait_for_url("**/ask/")
    assert page.get_by_role("heading", name="Ask our experts", level=1).is_visible()

    page.get_by_label("Your question").fill("Why do my legs cramp at night in bed?")
    page.get_by_label("Details (optional)").fill("Mostly calves.\nAfter long walks.")
    page.get_by_label("Topic (optional)").select_option(index=1)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Is your question already answered?").is_visible()
    matches = page.locator(".ask-matches li")
    assert matches.count() >= 1
    assert matches.first.get_by_text("Short answer:").is_visible()
    # The demo's own questions aside (healthpress/demo/activity.py), nothing is stored yet.
    mine = Question.objects.filter(question="Why do my legs cramp at night in bed?")
    assert not mine.exists()
    page.get_by_role("button", name="Ask anyway").click()
    page.wait_for_url("**/ask/sent/")
    assert page.get_by_role("heading", name="Your question was sent").is_visible()
    assert page.get_by_text("We cannot give personal medical advice").is_visible()

    question = mine.get()
    assert question.question == "Why do my legs cramp at night in bed?"
    assert question.details == "Mostly calves.\nAfter long walks."
    assert question.topic is not None and not question.flagged
    assert scripts == []
    context.close()


def test_ask_pages_pass_axe(site, browser_page, quick_forms, assert_accessible):
    """axe-core runs as a script, so these pages are checked in a context with JavaScript on
    (and the page's CSP bypassed for axe); the pages themselves run none."""
    page = browser_page
    page.goto(site["base"] + "/ask/")
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()  # nothing filled in: the 400
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Your question").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    fill_form(page, "Why do my legs cramp at night in bed?")
    assert page.get_by_role("button", name="This answers my question").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="This answers my question").click()
    page.wait_for_url("**/ask/found/")
    assert_accessible(page)

    page.goto(site["base"] + "/ask/")
    fill_form(page, "My father has chest pain and cannot move his arm, what do we do?")
    card = page.get_by_role("alert")
    assert card.get_by_role("heading", name="If this is happening now, call 999").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send my question").or_(
        page.get_by_role("button", name="Ask anyway")
    ).click()
    page.wait_for_url("**/ask/sent/?urgent=1")
    assert page.get_by_role("heading", level=1).inner_text() == "If this is happening now, call 999"
    assert_accessible(page)
