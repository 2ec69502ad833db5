"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is ever downloaded: without /usr/bin/chromium these tests are skipped.
"""

import importlib.util
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the main thread; the ORM calls the tests make
# there (loading content) are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# While Playwright runs, Django's context-local `connections` hands the main thread a different
# connection object, one that lacks the test database's serialized contents. So Playwright is
# started per test, after the content is loaded, and stopped before the database is reset.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CRAMPS_QUESTION = "Is cramping caused by excessive calcium or insufficient calcium?"
CRAMPS_SECTIONS = [
    "Abnormal calcium metabolism",
    "Muscle fatigue",
    "Electrolyte imbalance",
    "Poor blood circulation",
    "Abnormal neuromodulation",
]
SKIP_REASON = f"{CHROMIUM} not found: install Debian's chromium package to run browser tests"
requires_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=SKIP_REASON)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def chromium(site):
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def demo_loader_exists():
    return importlib.util.find_spec("healthpress.demo.loader") is not None


@pytest.fixture
def site(request, live_server, django_db_serialized_rollback):
    """The live server's address and the pages to visit.

    Uses the demo content (`load_demo`) once it exists; until then an equivalent cramps article is
    built with the shared fixtures. Serialized rollback restores Wagtail's root page and default
    site after each transactional test flushes the database.
    """
    from healthpress.articles.models import ArticlePage

    if demo_loader_exists():
        from django.core.management import call_command

        call_command("load_demo", "--no-admin")
    else:
        from tests.conftest import section

        make_article = request.getfixturevalue("make_article")
        make_article(
            CRAMPS_QUESTION,
            sections=0,
            short_answer="Cramps are usually related to calcium deficiency, but may also be "
            "caused by other factors.",
            more_blocks=[
                section(heading, f"How {heading.lower()} leads to cramps.", "What helps.")
                for heading in CRAMPS_SECTIONS
            ],
        )
    article = ArticlePage.objects.live().get(title=CRAMPS_QUESTION)
    return {
        "base": live_server.url,
        "article": live_server.url + article.url,
        "topic": live_server.url + article.get_parent().url,
        "author": live_server.url + article.author.get_absolute_url(),
    }


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        assert not violations, (
            f"axe found {len(violations)} accessibility problem(s) on {page.url}:\n"
            + describe_violations(violations)
        )

    return check
