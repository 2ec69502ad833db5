"""WordPress pages (issue 28): the editorial policy becomes the site's editorial policy page,
with its old addresses; the pages HealthPress has no equivalent for are reported."""

from pathlib import Path

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Revision

from healthpress.articles.models import ReviewSettings
from healthpress.core.models import EditorialPolicyPage
from healthpress.wordpress.importer import Options, import_export, is_editorial_policy
from healthpress.wordpress.models import ImportedRecord
from healthpress.wordpress.wxr import Item

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress" / "pages.xml"


@pytest.fixture
def imported(home):
    return import_export(PAGES, Options(publish_live=True))


def test_the_editorial_policy_becomes_the_sites_live_policy_page_cleaned(imported):
    page = EditorialPolicyPage.objects.get()
    assert page.live and page.title == "Our editorial policy"
    assert page.intro == "How our answers are written and checked."
    body = page.body
    assert "<p>Every answer is written by a nurse and checked by a doctor.</p>" in body
    assert "<h2>How we check an answer</h2>" in body
    assert '<a href="https://www.nice.org.uk/">NICE guidance</a>' in body and "<b>date</b>" in body
    assert "script" not in body and "alert" not in body and "wp:" not in body
    assert imported.counts["page"]["created"] == 1
    assert any("a figure was left out" in w[3] for w in imported.warnings)


def test_the_imported_policy_is_linked_from_every_review_line(imported, home):
    settings = ReviewSettings.objects.get(site=home.get_site())
    assert settings.editorial_policy_page_id == EditorialPolicyPage.objects.get().pk


@pytest.mark.parametrize("old", ["/about/editorial-policy/", "/?page_id=502"])
def test_the_policys_old_addresses_answer_301(imported, client, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == EditorialPolicyPage.objects.get().url


def test_pages_without_an_equivalent_are_reported_and_the_bin_left_behind(imported):
    assert imported.counts["page"]["reported"] == 1
    assert imported.counts["page"]["skipped"] == 1
    [about] = [w for w in imported.warnings if w[1] == "About us"]
    assert "no equivalent" in about[3] and about[2] == "https://pages.example.org/about/"
    assert not [w for w in imported.warnings if w[1] == "Old opening hours"]


def test_without_publish_live_the_policy_is_a_draft_with_no_redirect(home):
    import_export(PAGES, Options())
    page = EditorialPolicyPage.objects.get()
    assert not page.live and page.has_unpublished_changes
    assert not Redirect.objects.filter(old_path="/about/editorial-policy").exists()
    assert ReviewSettings.objects.filter(editorial_policy_page=page).exists() is False


def test_a_second_run_creates_nothing_and_a_changed_page_gets_a_new_revision(imported, tmp_path):
    counts = (Revision.objects.count(), Redirect.objects.count(), ImportedRecord.objects.count())
    again = import_export(PAGES, Options(publish_live=True))
    assert again.counts["page"]["unchanged"] == 1
    assert (
        Revision.objects.count(),
        Redirect.objects.count(),
        ImportedRecord.objects.count(),
    ) == counts
    changed = tmp_path / "changed.xml"
    changed.write_text(PAGES.read_text().replace("Corrections are welcome.", "Write to us."))
    third = import_export(changed, Options(publish_live=True))
    assert third.counts["page"]["updated"] == 1
    page = EditorialPolicyPage.objects.get()
    assert "Write to us." in page.body and page.live
    assert Revision.objects.count() == counts[0] + 1


def test_the_sites_own_policy_page_is_kept_and_the_old_address_leads_to_it(home, client):
    own = home.add_child(instance=EditorialPolicyPage(title="How we work", body="<p>Ours.</p>"))
    own.save_revision().publish()
    report = import_export(PAGES, Options(publish_live=True))
    assert list(EditorialPolicyPage.objects.all()) == [own]
    assert EditorialPolicyPage.objects.get().body == "<p>Ours.</p>"
    assert report.counts["page"]["kept the site's own editorial policy"] == 1
    assert client.get("/about/editorial-policy/")["Location"] == own.url


def test_a_dry_run_writes_no_page(home):
    report = import_export(PAGES, Options(publish_live=True, dry_run=True))
    assert report.counts["page"]["created"] == 1
    assert not EditorialPolicyPage.objects.exists() and not Redirect.objects.exists()


@pytest.mark.parametrize(
    ("title", "slug", "expected"),
    [
        ("Our editorial policy", "policy", True),
        ("How we work", "editorial-guidelines", True),
        ("Editorial process", "", True),
        ("Meet our editorial team", "editorial-team", False),
        ("About us", "about", False),
    ],
)
def test_which_page_is_the_editorial_policy(title, slug, expected):
    item = Item(line=1, wp_id=1, post_type="page", status="publish", title=title, slug=slug)
    assert is_editorial_policy(item) is expected
