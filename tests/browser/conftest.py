"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is ever downloaded: without /usr/bin/chromium these tests are skipped.
"""

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


@pytest.fixture(scope="session")
def demo_copy():
    """The test database as it is after `load_demo`, kept in memory once built (per process).

    `load_demo` takes seconds and every browser test starts from the same demo: the first test
    runs it, later ones get a copy of the result through SQLite's backup API (milliseconds). The
    copy is taken right after serialized rollback has restored the migrated database, so each test
    starts exactly where the first did. PostgreSQL has no such copy: there the demo loads per test.
    """
    return {}


def load_demo_once(demo_copy):
    import sqlite3

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        call_command("load_demo", "--no-admin")
        return
    connection.ensure_connection()
    if "database" in demo_copy:
        demo_copy["database"].backup(connection.connection)
        return
    call_command("load_demo", "--no-admin")
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    demo_copy["database"] = copy


@pytest.fixture
def site(live_server, django_db_serialized_rollback, demo_copy):
    """The live server's address and the pages to visit, on the demo content (`load_demo`).

    Serialized rollback restores Wagtail's root page and default site after each transactional
    test flushes the database; the demo is then loaded over it (or copied, see demo_copy).
    """
    from healthpress.articles.models import ArticlePage

    load_demo_once(demo_copy)
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
