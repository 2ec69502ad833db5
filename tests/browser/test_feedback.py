"""Was this page helpful? In Chromium with JavaScript switched off, on a cached article: No, the
thank-you with the "What was missing?" box, the note sent, and the next reader served the same
thank-you from the page cache. axe-core finds nothing on the article with the form nor on the
thank-you states."""

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def fresh_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_vote_no_and_say_what_was_missing_without_javascript(
    site, chromium, page_cache_on, fresh_limits
):
    from healthpress.health.models import FeedbackDay, MissingNote

    context = chromium.new_context(java_script_enabled=False)
    reader = context.new_page()
    scripts = []
    reader.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else 0)
    reader.goto(site["article"])
    assert reader.goto(site["article"]).headers.get("x-page-cache") == "hit"  # a cached article
    box = reader.locator("#feedback")
    assert box.get_by_role("heading", name="Was this page helpful?").is_visible()
    box.get_by_role("button", name="No this page was not helpful", exact=True).click()
    reader.wait_for_url("**?feedback=missing#feedback")
    status = box.get_by_role("status")
    assert status.get_by_text("Your answer helps our editors improve this article.").is_visible()
    box.get_by_label("What was missing? (optional)").fill("<b>Doses</b> for children.")
    box.get_by_role("button", name="Send").click()
    reader.wait_for_url("**?feedback=noted#feedback")
    assert box.get_by_role("status").get_by_text("We have received your note.").is_visible()
    assert box.get_by_role("textbox").count() == 0
    assert scripts == []
    context.close()

    day = FeedbackDay.objects.get()
    assert (day.yes, day.no) == (0, 1)
    assert MissingNote.objects.get().text == "Doses for children."

    # The next reader's thank-you comes from the page cache: the first one's render, kept.
    other = chromium.new_context(java_script_enabled=False).new_page()
    response = other.goto(site["article"] + "?feedback=missing")
    assert response.status == 200 and response.headers.get("x-page-cache") == "hit"
    assert "Doses for children" not in other.content()
    assert other.goto(site["article"] + "?feedback=junk").status == 404


def test_the_feedback_box_and_its_thank_you_states_are_accessible(
    site, browser_page, assert_accessible
):
    for query in ("", "?feedback=thanks", "?feedback=missing", "?feedback=noted"):
        browser_page.goto(site["article"] + query)
        assert browser_page.locator("#feedback").is_visible(), query
        assert_accessible(browser_page)
