"""Trust signals as a reader's browser presents them: care cards announced by type, references
that link both ways, axe-core clean, and a print view without forms or navigation."""

import json

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def check_care_cards_are_announced_with_their_type(page, site):
    page.goto(site["article"])
    doctor = page.get_by_role("heading", name="Non-urgent advice: When to see a doctor")
    assert doctor.count() == 1
    urgent = page.get_by_role("heading", name="Immediate action required: Get medical help now if")
    assert urgent.count() == 1
    # Sighted readers get the type in words too: the badge, not only the colour.
    badges = [" ".join(t.split()) for t in page.locator(".callout__badge").all_inner_texts()]
    assert [b.casefold() for b in badges] == [
        "non-urgent advice",
        "immediate action required",
    ]
    # The hidden prefix is really hidden on screen, yet part of the heading's text.
    prefix = doctor.locator(".visually-hidden")
    assert prefix.bounding_box()["width"] <= 1
    assert doctor.text_content().startswith("Non-urgent advice: ")


def check_urgent_level_card_is_announced_as_urgent_advice(page, site):
    from healthpress.articles.content import find_article

    article = find_article("Why does my lower back hurt after sitting all day?")
    page.goto(site["base"] + article.url)
    assert page.get_by_role("heading", name="Urgent advice: Get medical help now if").count() == 1


def check_review_lines_references_and_toc_pass_axe(page, site, assert_accessible):
    page.goto(site["article"])
    assert page.locator(".byline__author").inner_text().startswith("Written by Amara Lindqvist, MD")
    reviewed = page.locator(".byline__reviewer").inner_text()
    assert reviewed.startswith("Medically reviewed by Tomás Reyes, RN, MSc")
    assert "on 14 October 2026" in reviewed
    review = " ".join(page.locator(".byline__review").inner_text().split())
    assert "Last reviewed 14 October 2026" in review
    assert "Next review due 14 October 2028" in review

    toc = page.get_by_role("navigation", name="On this page")
    assert toc.get_by_role("link", name="References").is_visible()
    references = page.locator(".references__list > li")
    assert references.count() >= 3

    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "MedicalWebPage"
    assert page.locator("script").count() == 1

    assert_accessible(page)


def check_citation_markers_link_to_references_and_back(page, site):
    page.goto(site["article"])
    marker = page.get_by_role("link", name="Reference 1").first
    marker.click()
    assert page.url.endswith("#ref-1")
    assert page.evaluate("document.querySelector(':target').id") == "ref-1"
    page.get_by_role("link", name="Back to where reference 1 is cited").click()
    assert page.url.endswith("#cite-1")
    assert page.evaluate("document.querySelector(':target').textContent") == "[1]"


def check_print_view_hides_forms_and_navigation_and_shows_reference_urls(page, site):
    page.goto(site["article"])
    assert page.locator("form").first.is_visible()
    page.emulate_media(media="print")
    for form in page.locator("form").all():
        assert not form.is_visible()
    for selector in (".topic-nav", ".toc", ".comments", ".newsletter", ".related", ".breadcrumb"):
        assert all(not el.is_visible() for el in page.locator(selector).all()), selector
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".references").is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.references__link'), '::after').content"
    )
    href = page.locator(".references__link").first.get_attribute("href")
    assert href in after
    page.emulate_media(media="screen")
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.references__link'), '::after').content"
    )
    assert href not in after


def test_a_reader_reads_an_article_cards_review_lines_references_and_print(
    site, browser_page, assert_accessible
):
    """One reader's visit (one browser start for the whole flow); each check loads its page."""
    check_care_cards_are_announced_with_their_type(browser_page, site)
    check_urgent_level_card_is_announced_as_urgent_advice(browser_page, site)
    check_review_lines_references_and_toc_pass_axe(browser_page, site, assert_accessible)
    check_citation_markers_link_to_references_and_back(browser_page, site)
    check_print_view_hides_forms_and_navigation_and_shows_reference_urls(browser_page, site)
