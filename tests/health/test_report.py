"""Reports → Article health: one row per live article, each figure from known rows, its filters,
sorting and CSV, the per-article detail view, and who may see them."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from healthpress.articles.review import set_review
from healthpress.core.site import get_or_create_topic
from healthpress.health.models import FeedbackDay, MissingNote, Readability, ReferenceCheck
from healthpress.health.report import article_health, describe, with_problems

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/article-health/"


def set_grade(article, grade, share=0.1):
    Readability.objects.filter(article=article).update(grade=grade, long_sentence_share=share)


def votes(article, days_ago, yes, no):
    FeedbackDay.objects.create(
        article=article, day=timezone.localdate() - timedelta(days=days_ago), yes=yes, no=no
    )


def check(article, url, outcome, status=200):
    ReferenceCheck.objects.create(article=article, url=url, outcome=outcome, status_code=status)


@pytest.fixture
def articles(make_article, author, settings):
    """Four live articles, each with one kind of trouble (or none), and a draft."""
    settings.READING_GRADE_TARGET = 8
    today = timezone.localdate()
    refs = [
        {"type": "reference", "value": {"title": f"Source {n}", "url": f"https://example.org/{n}"}}
        for n in range(3)
    ]
    good = make_article("Good article?", references=refs[:1])
    unhelpful = make_article("Unhelpful article?")
    hard = make_article("Hard article?")
    broken = make_article("Broken article?", references=refs)
    draft = make_article("Draft article?", publish=False)
    for page in (good, hard, broken):
        set_review(page, author, today - timedelta(days=30))
        page.save_revision().publish()
    set_grade(good, 6.0)
    set_grade(unhelpful, 7.0)
    set_grade(hard, 12.5, 0.4)
    set_grade(broken, 5.0)
    votes(good, 0, 9, 1)
    votes(good, 89, 1, 0)
    votes(good, 90, 50, 50)  # older than 90 days: not counted
    votes(unhelpful, 3, 1, 5)
    votes(draft, 1, 0, 9)
    MissingNote.objects.create(article=unhelpful, text="Nothing on children.")
    MissingNote.objects.create(
        article=unhelpful, text="Too old.", created_at=timezone.now() - timedelta(days=91)
    )
    check(good, "https://example.org/0", "ok")
    check(broken, "https://example.org/0", "ok")
    check(broken, "https://example.org/1", "broken", 404)
    check(broken, "https://example.org/2", "moved", 301)
    return {"good": good, "unhelpful": unhelpful, "hard": hard, "broken": broken, "draft": draft}


def rows_by_title():
    return {row.title: row for row in describe(article_health())}


def test_one_row_per_live_article_with_each_figure_from_known_rows(articles):
    rows = rows_by_title()
    assert set(rows) == {"Good article?", "Unhelpful article?", "Hard article?", "Broken article?"}
    good, unhelpful = rows["Good article?"], rows["Unhelpful article?"]
    assert (good.votes_yes, good.votes_no, good.votes) == (10, 1, 11)
    assert good.helpful_pct == pytest.approx(100 * 10 / 11)
    assert (unhelpful.votes, unhelpful.helpful_pct) == (6, pytest.approx(100 / 6))
    assert rows["Hard article?"].helpful_pct is None and rows["Hard article?"].votes == 0
    assert unhelpful.missing_count == 1 and good.missing_count == 0
    assert (rows["Hard article?"].grade, rows["Hard article?"].long_share) == (12.5, 0.4)
    broken = rows["Broken article?"]
    assert (broken.reference_count, broken.ref_broken, broken.ref_moved) == (3, 1, 1)
    assert (good.reference_count, good.ref_problems) == (1, 0)
    assert good.review == "current" and unhelpful.review == "never"
    assert good.topic_title == "Muscles, bones and joints"
    assert good.last_published_at is not None


def test_problems(articles):
    rows = rows_by_title()
    assert rows["Unhelpful article?"].problem_labels == [
        "Helpful to fewer than 50% of readers",
        "Review due or overdue",
        "Readers said something was missing",
    ]
    assert rows["Hard article?"].problem_labels == ["Reading grade above target"]
    assert rows["Broken article?"].problem_labels == ["Broken or moved references"]
    assert rows["Good article?"].problem_labels == []


def test_few_votes_are_not_called_unhelpful(articles):
    votes(articles["hard"], 1, 0, 4)
    assert not rows_by_title()["Hard article?"].low_helpful


def test_low_helpful_is_fewer_than_half_yes_counted_over_the_feedback_days(articles):
    """The rule is read from the votes of all the articles at once (health/report.py): the same
    figures the row shows, its boundaries included."""
    hard, good = articles["hard"], articles["good"]
    votes(hard, 2, 5, 5)  # exactly half: not below it
    votes(good, 95, 0, 50)  # too old to count: still 10 of 11 Yes
    rows = rows_by_title()
    assert rows["Hard article?"].helpful_pct == 50 and not rows["Hard article?"].low_helpful
    assert not rows["Good article?"].low_helpful
    votes(hard, 1, 0, 1)  # 5 of 11
    row = rows_by_title()["Hard article?"]
    assert row.helpful_pct < 50 and row.low_helpful
    assert sorted(r.title for r in with_problems(article_health(), ["low_helpful"])) == [
        "Hard article?",
        "Unhelpful article?",
    ]


def test_problem_filter_lists_articles_with_any_chosen_problem(articles):
    def titles(*problems):
        return sorted(row.title for row in with_problems(article_health(), problems))

    assert titles("above_target") == ["Hard article?"]
    assert titles("bad_references", "missing") == ["Broken article?", "Unhelpful article?"]
    assert titles("review_due") == ["Unhelpful article?"]


def test_rows_take_a_bounded_number_of_queries(articles, make_article):
    with CaptureQueriesContext(connection) as few:
        describe(article_health())
    for n in range(5):
        make_article(f"More article {n}?")
    with CaptureQueriesContext(connection) as many:
        describe(article_health())
    # The topics (for each article's topic, asked of Wagtail's tree), then the rows.
    assert len(few.captured_queries) == len(many.captured_queries) == 2


def listed_titles(html, titles):
    """`titles` in the order they appear in `html` (absent ones left out)."""
    return sorted((html.index(t), t) for t in titles if t in html)


TITLES = ["Good article?", "Unhelpful article?", "Hard article?", "Broken article?"]


def order(admin_client, query):
    html = admin_client.get(REPORT + query).content.decode()
    return [t for _, t in listed_titles(html, TITLES)]


def test_report_page_lists_live_articles_and_links_problems_to_their_fix(admin_client, articles):
    response = admin_client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    for title in TITLES:
        assert title in html
    assert "Draft article?" not in html
    hard, unhelpful = articles["hard"].pk, articles["unhelpful"].pk
    assert f'href="/admin/pages/{hard}/edit/"' in html  # grade above target
    assert f'href="/admin/pages/{articles["broken"].pk}/edit/"' in html  # references
    assert f'href="/admin/reports/article-health/{unhelpful}/#missing"' in html
    assert f'href="/admin/reports/article-health/{unhelpful}/"' in html  # low helpful %
    assert "12.5" in html and "91%" in html and "17%" in html
    assert "3 (1 broken, 1 moved)" in html
    assert "/admin/reports/article-health/?export=csv" in html


def test_report_sorts(admin_client, articles):
    assert order(admin_client, "?ordering=grade") == [
        "Broken article?",
        "Good article?",
        "Unhelpful article?",
        "Hard article?",
    ]
    assert order(admin_client, "?ordering=-grade")[0] == "Hard article?"
    # Articles without votes go last either way.
    assert order(admin_client, "?ordering=helpful_pct")[:2] == [
        "Unhelpful article?",
        "Good article?",
    ]
    assert order(admin_client, "?ordering=-helpful_pct")[:2] == [
        "Good article?",
        "Unhelpful article?",
    ]
    assert order(admin_client, "?ordering=-ref_problems")[0] == "Broken article?"
    # Never reviewed is the most urgent.
    assert order(admin_client, "?ordering=next_review_due")[0] == "Unhelpful article?"


def test_report_filters_by_problem_and_topic(admin_client, articles):
    assert order(admin_client, "?problem=above_target") == ["Hard article?"]
    assert order(admin_client, "?problem=bad_references&problem=missing") == [
        "Broken article?",
        "Unhelpful article?",
    ]
    other = get_or_create_topic("Heart and lungs")[0]
    html = admin_client.get(f"{REPORT}?topic={other.pk}").content.decode()
    assert not listed_titles(html, TITLES)
    topic = articles["good"].get_parent()
    assert len(order(admin_client, f"?topic={topic.pk}")) == 4


def csv_rows(admin_client, query=""):
    response = admin_client.get(f"{REPORT}?export=csv{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_csv_has_one_row_per_live_article(admin_client, articles):
    rows = csv_rows(admin_client)
    assert rows[0][:4] == ["Article", "Topic", "Helpful %", "Votes (90 days)"]
    assert sorted(row[0] for row in rows[1:]) == sorted(TITLES)
    by_title = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_title["Broken article?"]["Broken references"] == "1"
    assert by_title["Hard article?"]["Reading grade"] == "12.5"
    assert by_title["Hard article?"]["Problems"] == "Reading grade above target"


def test_csv_follows_the_filters(admin_client, articles):
    rows = csv_rows(admin_client, "&problem=above_target")
    assert [row[0] for row in rows[1:]] == ["Hard article?"]


def test_detail_view_shows_votes_notes_and_reference_checks(admin_client, articles):
    broken = articles["broken"]
    html = admin_client.get(f"{REPORT}{broken.pk}/").content.decode()
    assert "https://example.org/1" in html and "404" in html and "Broken" in html
    assert "Moved permanently" in html and "301" in html
    unhelpful = articles["unhelpful"]
    html = admin_client.get(f"{REPORT}{unhelpful.pk}/").content.decode()
    assert "Nothing on children." in html
    assert "Too old." not in html
    assert "17% of 6 votes" in html


def test_hostile_note_is_escaped(admin_client, articles):
    article = articles["good"]
    MissingNote.objects.create(article=article, text='<script>alert("x")</script><b>bold</b>')
    html = admin_client.get(f"{REPORT}{article.pk}/").content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_draft_has_no_detail_view(admin_client, articles):
    assert admin_client.get(f"{REPORT}{articles['draft'].pk}/").status_code == 404


@pytest.fixture
def make_user(db):
    def make(username, *groups, perms=()):
        user = get_user_model().objects.create_user(username, password="pw-" + username)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        for codename in perms:
            user.user_permissions.add(Permission.objects.get(codename=codename))
        return user

    return make


def test_editors_see_the_report_but_not_readers_words(client, make_user, articles):
    client.force_login(make_user("editor", "Editors"))
    assert client.get(REPORT).status_code == 200
    assert client.get(f"{REPORT}?export=csv").status_code == 200
    html = client.get(f"{REPORT}{articles['unhelpful'].pk}/").content.decode()
    assert "Nothing on children." not in html
    assert "1 note in the last 90 days" in html
    assert "/admin/reports/article-health/" in client.get("/admin/").content.decode()


def test_the_notes_permission_shows_readers_words(client, make_user, articles):
    client.force_login(make_user("editor", "Editors", perms=["view_missingnote"]))
    html = client.get(f"{REPORT}{articles['unhelpful'].pk}/").content.decode()
    assert "Nothing on children." in html


def test_refused_to_admin_users_who_cannot_edit_pages(client, make_user, articles):
    """Wagtail's answer to a refused admin view: back to the dashboard with "Sorry, you do not
    have permission" (403 to a script)."""
    client.force_login(make_user("someone"))
    for url in (REPORT, f"{REPORT}?export=csv", f"{REPORT}{articles['good'].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    html = client.get("/admin/").content.decode()
    assert "you do not have permission" in html
    assert "/admin/reports/article-health/" not in html
    assert "Good article?" not in html


def test_readers_are_sent_to_log_in(client, articles):
    response = client.get(REPORT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.get(f"{REPORT}{articles['good'].pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
