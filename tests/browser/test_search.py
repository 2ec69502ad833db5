"""The search page in a real browser: header box without JavaScript, results, none, small screens,
axe-core clean in every state."""

import pytest

from .conftest import CRAMPS_QUESTION, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth"


def test_header_search_finds_the_cramps_article_and_passes_axe(site, chromium, assert_accessible):
    # No JavaScript at all: the header form is a plain GET form.
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(site["article"])
    page.get_by_label("Search health questions").fill("why do my legs cramp at night")
    page.get_by_label("Search health questions").press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".search-result__title a").first
    assert first.inner_text() == CRAMPS_QUESTION
    assert page.get_by_label("Your health question").input_value() == (
        "why do my legs cramp at night"
    )
    assert page.locator(".search-result__snippet mark").count() >= 1
    context.close()


SEARCH_STATES = {
    "results": "calcium and cramps",
    "no-results": "xylophone quartz",
    "empty": "",
    "punctuation": "?!?",
    "too-long": "cramp " * 80,
}


def test_search_page_passes_axe_and_fits_320px_in_every_state(
    site, browser_page, assert_accessible
):
    page = browser_page
    for state, query in SEARCH_STATES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(site["base"] + "/search/?q=" + query.replace(" ", "+"))
        assert page.locator("h1").count() == 1, state
        assert_accessible(page)
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate(NO_HORIZONTAL_SCROLL) <= 320, state
        box = page.locator("#site-search-q").bounding_box()
        assert box and box["width"] >= 120, f"the header search box is usable at 320px ({state})"
        assert_accessible(page)
