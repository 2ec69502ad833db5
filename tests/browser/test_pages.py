"""What a reader's browser shows: structure, keyboard use, small screens and axe-core checks."""

import os
from pathlib import Path

import pytest
from PIL import Image

from .conftest import CRAMPS_QUESTION, CRAMPS_SECTIONS, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth"


def visible_text(page, selector):
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


def test_article_page_reads_well_works_by_keyboard_and_passes_axe(
    site, browser_page, assert_accessible
):
    page = browser_page
    page.goto(site["article"])

    # The question is the one h1; the five causes follow as numbered h2, in order.
    assert visible_text(page, "h1") == [CRAMPS_QUESTION]
    numbered = [text for text in visible_text(page, "h2") if text[:1].isdigit()]
    assert numbered == [f"{n}. {heading}" for n, heading in enumerate(CRAMPS_SECTIONS, 1)]

    author_box = page.locator(".author-box")
    assert author_box.get_by_role("heading", name="About the author").is_visible()
    assert author_box.get_by_text("Senior Expert").is_visible()
    assert author_box.get_by_text("Contributing Writer").is_visible()

    comments = page.locator("#comments")
    assert comments.get_by_role("heading", name="Comments (0)").is_visible()
    assert comments.get_by_text("Comments are moderated and may take time to appear.").is_visible()
    assert comments.get_by_text("No comments yet").is_visible()
    assert comments.get_by_text("Be the first to share your thoughts!").is_visible()
    assert comments.get_by_role("heading", name="Leave a comment").is_visible()
    assert comments.get_by_label("Name", exact=True).is_visible()
    assert comments.get_by_label("Email", exact=True).is_visible()
    assert comments.get_by_label("Comment", exact=True).is_visible()
    assert comments.get_by_role("button", name="Post comment").is_visible()

    newsletter = page.locator(".newsletter")
    assert newsletter.get_by_role("heading", name="Stay updated").is_visible()
    assert newsletter.get_by_label("Email address").is_visible()
    assert newsletter.get_by_role("button", name="Subscribe").is_visible()

    # Keyboard: the skip link is the first stop and takes the reader into the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.href]")
    assert focused == ["Skip to main content", site["article"] + "#main"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    assert_accessible(page)

    # At 320px wide nothing scrolls sideways, and the page still passes axe.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= 320
    assert_accessible(page)


def test_home_topic_author_and_error_pages_pass_axe_and_fit_small_screens(
    site, browser_page, assert_accessible
):
    page = browser_page
    pages = {
        "home": site["base"] + "/",
        "topic": site["topic"],
        "author": site["author"],
        "authors": site["base"] + "/authors/",
        "not found": site["base"] + "/no-such-page/",
    }
    for name, url in pages.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        assert_accessible(page)
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate(NO_HORIZONTAL_SCROLL) <= 320, name

    page.goto(site["base"] + "/")
    assert page.get_by_role("navigation", name="Topics").is_visible()
    assert page.get_by_role("link", name=CRAMPS_QUESTION).is_visible()


@pytest.mark.skipif(not os.environ.get("SCREENSHOT_DIR"), reason="set SCREENSHOT_DIR to save one")
def test_screenshot_article_page(site, browser_page):
    out = Path(os.environ["SCREENSHOT_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site["article"])
    target = out / "article-page.png"
    page.screenshot(path=str(target), full_page=True)
    # A 64-colour palette keeps the README's picture small in the repository and as sharp.
    with Image.open(target) as shot:
        shot.convert("RGB").quantize(colors=64).save(target, optimize=True)
    assert target.stat().st_size > 10_000
