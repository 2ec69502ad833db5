"""Publishing from the command line is an operator's act (issue 24): it is logged in the page's
history, and an article published that way without a review says so on its page and in the
Reviews due report. A review recorded with it (the demo's) is kept; none is ever invented."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from wagtail.models import PageLogEntry

from healthpress.articles.content import save_article
from healthpress.articles.models import ArticlePage
from healthpress.articles.publishing import OPERATOR_PUBLISH
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db

HICCUPS = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "hiccups.txt"
NOTICE = "This article has not yet been medically reviewed."


def operator_entries(page):
    return PageLogEntry.objects.filter(page=page, action=OPERATOR_PUBLISH)


def test_import_with_publish_is_logged_and_says_it_was_not_reviewed(admin_client, client):
    call_command("import_articles", str(HICCUPS), "--publish", stdout=StringIO())
    page = ArticlePage.objects.get()
    assert page.live and page.last_reviewed is None

    (entry,) = operator_entries(page)
    assert entry.user is None
    assert entry.data["via"] == "import_articles --publish"
    assert entry.data["reviewed_on"] is None
    # In the page's history and in Reports → Site history, in words.
    said = "Published from the command line (import_articles --publish"
    history = admin_client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert said in history and "not medically reviewed" in history
    assert said in admin_client.get("/admin/reports/site-history/").content.decode()

    html = client.get(page.url).content.decode()
    assert '<div class="review-notice review-notice--unreviewed" role="note">' in html
    assert NOTICE in html
    assert "Medically reviewed by" not in html

    report = admin_client.get("/admin/reports/reviews-due/").content.decode()
    assert page.title in report and "Not medically reviewed" in report


def test_a_review_recorded_with_it_is_kept_and_logged(client, topic, author, reviewer_person):
    content = make_article_content(last_reviewed=datetime.date(2026, 3, 2))
    page, _ = save_article(
        content, topic=topic, author=author, reviewer=reviewer_person, publish=True, via="load_demo"
    )
    assert page.reviewer == reviewer_person and page.last_reviewed == datetime.date(2026, 3, 2)
    (entry,) = operator_entries(page)
    assert entry.data["reviewed_on"] == "2026-03-02"
    assert entry.data["reviewer"] == "Kofi Mensah"
    html = client.get(page.url).content.decode()
    assert NOTICE not in html and "Medically reviewed by" in html


def test_republishing_changed_words_without_a_review_drops_the_earlier_one(
    client, topic, author, reviewer_person
):
    """The words now on the page were not checked: the page must not vouch for them. The
    earlier revision keeps its review in the history."""
    reviewed = make_article_content(last_reviewed=datetime.date(2026, 3, 2))
    page, _ = save_article(
        reviewed, topic=topic, author=author, reviewer=reviewer_person, publish=True
    )
    changed = make_article_content(short_answer="Something nobody checked.")
    page, created = save_article(changed, topic=topic, publish=True, via="import_articles")
    assert not created
    assert page.reviewer is None and page.last_reviewed is None and page.next_review_due is None
    assert NOTICE in client.get(page.url).content.decode()
    first = page.revisions.order_by("created_at").first().as_object()
    assert first.reviewer == reviewer_person


def test_code_publishing_as_a_user_asks_the_same_rule(topic, make_user):
    """save_article(publish=True, user=...) is the admin's path, not an operator's."""
    editor = make_user("editor", "Editors")
    with pytest.raises(PermissionDenied):
        save_article(make_article_content(), topic=topic, publish=True, user=editor)
    assert not ArticlePage.objects.live().exists()


def test_demo_articles_keep_their_recorded_review_and_show_no_notice(client):
    call_command("load_demo", "--no-admin", stdout=StringIO())
    articles = ArticlePage.objects.live()
    assert articles.exists()
    assert not articles.filter(last_reviewed__isnull=True).exists()
    assert not articles.filter(reviewer__isnull=True).exists()
    page = articles.first()
    assert operator_entries(page).get().data["via"] == "load_demo"
    html = client.get(page.url).content.decode()
    assert NOTICE not in html and "Medically reviewed by" in html
