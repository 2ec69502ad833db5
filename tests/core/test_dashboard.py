"""The admin dashboard's panels (issue 19): each is shown to the people who can act on it and to
nobody else, lists the most urgent items first with links to where they are handled, and costs
the same few queries whatever the amount of data."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import TaskState

from healthpress.articles.dashboard import ReviewsDuePanel
from healthpress.articles.models import ArticlePage
from healthpress.comments.dashboard import CommentsPanel
from healthpress.comments.models import Comment
from healthpress.health.dashboard import SHOWN, ArticleHealthPanel, worst_candidates, worst_first
from healthpress.health.models import FeedbackDay, Readability, ReferenceCheck
from healthpress.health.report import article_health, with_problems
from healthpress.newsletter.dashboard import NewsletterPanel
from healthpress.newsletter.models import Delivery, Edition, Subscriber
from healthpress.questions.dashboard import QuestionsPanel
from healthpress.questions.models import CONSENT_WORDING_VERSION, Question
from tests.at_size import add_articles

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"
# Each panel's section id, as Wagtail's {% panel %} tag writes it.
PANELS = {
    "comments": "comments-to-moderate-section",
    "questions": "readers-questions-section",
    "reviews": "reviews-due-section",
    "health": "article-health-section",
    "newsletter": "newsletter-section",
}
# The query budget of each panel (core/dashboard.py): a count or an aggregate, and one sliced
# query with everything its rows show.
BUDGET = {
    CommentsPanel: 2,
    QuestionsPanel: 2,
    ReviewsDuePanel: 3,  # never reviewed, then dated: two lists an index can each answer
    ArticleHealthPanel: 3,  # and one reading the topics, for the rows' topic (health/report.py)
    NewsletterPanel: 2,
}


@pytest.fixture
def user_in(django_user_model):
    def make(name, *groups, permissions=(), superuser=False):
        if superuser:
            return django_user_model.objects.create_superuser(name, f"{name}@health.example", "pw")
        user = django_user_model.objects.create_user(name, f"{name}@health.example", "pw")
        for group in groups:
            user.groups.add(Group.objects.get(name=group))
        for codename in permissions:
            app_label, codename = codename.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return user

    return make


def panels_for(user):
    client = Client()
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    return {panel for panel, section in PANELS.items() if f'id="{section}"' in html}, html


class Data:
    """Something waiting in every panel, `n` of each."""

    def __init__(self, make_article):
        self.make_article = make_article
        self.articles = []

    def add(self, n):
        now = timezone.now()
        start = len(self.articles)
        for i in range(start, start + n):
            article = self.make_article(f"Why does thing number {i} happen?")
            self.articles.append(article)
            # Never reviewed: due. A hard read with a broken reference: an article-health problem.
            Readability.objects.filter(article=article).update(grade=12.0)
            ReferenceCheck.objects.create(
                article=article, url=f"https://example.org/{i}", outcome="broken", status_code=404
            )
            Comment.objects.create(
                article=article,
                name=f"Reader {i}",
                body="Does this apply to children?",
                created_at=now - timedelta(hours=i),
            )
            Question.objects.create(
                question=f"Question {i}?",
                consent_version=CONSENT_WORDING_VERSION,
                flagged=i % 2 == 0,
                red_flags="chest pain" if i % 2 == 0 else "",
            )
            Subscriber.objects.create(
                email=f"reader{i}@example.org",
                status=Subscriber.Status.CONFIRMED,
                frequency="weekly",
                articles_since=now - timedelta(days=3),
                last_sent_at=now - timedelta(days=3),
            )
            edition = Edition.objects.create(
                cutoff=now, created_at=now - timedelta(days=i), finished_at=now, open_slot=None
            )
            Delivery.objects.create(
                edition=edition,
                subscriber=Subscriber.objects.latest("pk"),
                status=Delivery.Status.SENT,
            )


@pytest.fixture
def data(make_article, settings):
    settings.READING_GRADE_TARGET = 8
    return Data(make_article).add


def test_a_superuser_sees_every_panel(user_in, data):
    data(1)
    shown, html = panels_for(user_in("admin", superuser=True))
    assert shown == set(PANELS)
    assert "1 comment waiting, the oldest first." in html
    assert "1 question waiting for triage, 1 with red flags" in html
    assert "1 live article with a problem to fix" in html
    assert "Receiving it: 1 subscriber (0 each new article, 1 a weekly digest)" in html


@pytest.mark.parametrize(
    "groups, permissions, expected",
    [
        (["Comment moderators"], [], {"comments"}),
        (["Moderators"], [], {"reviews", "health"}),
        (["Question editors"], [], {"questions"}),
        (["Editors"], [], {"reviews", "health"}),
        (["Medical reviewers"], [], {"reviews", "health"}),
        ([], ["wagtailadmin.access_admin", "newsletter.change_subscriber"], {"newsletter"}),
        ([], ["wagtailadmin.access_admin"], set()),
    ],
    ids=[
        "comment-moderator",
        "wagtail-moderator",
        "question-editor",
        "editor",
        "medical-reviewer",
        "newsletter",
        "nobody",
    ],
)
def test_each_panel_is_shown_only_to_those_who_can_act_on_it(
    user_in, groups, permissions, expected
):
    """Comment moderators moderate comments only; Wagtail's page-moderating "Moderators" group
    (add and change on pages) plans reviews and no longer moderates comments."""
    user = user_in("someone", *groups, permissions=permissions)
    shown, _ = panels_for(user)
    assert shown == expected


def test_items_are_the_most_urgent_first_and_link_to_where_they_are_handled(
    user_in, make_article, settings
):
    settings.READING_GRADE_TARGET = 8
    now = timezone.now()
    article = make_article()
    old = Comment.objects.create(
        article=article, name="Early", body="First.", created_at=now - timedelta(days=2)
    )
    Comment.objects.create(article=article, name="Late", body="Second.")
    Question.objects.create(
        question="Calm?",
        consent_version=CONSENT_WORDING_VERSION,
        created_at=now - timedelta(days=5),
    )
    urgent = Question.objects.create(
        question="Urgent?", consent_version=CONSENT_WORDING_VERSION, flagged=True
    )
    _, html = panels_for(user_in("admin", superuser=True))
    assert html.index("Early on") < html.index("Late on")
    assert f'href="/admin/comments/{old.pk}/"' in html
    assert html.index("Urgent?") < html.index("Calm?")
    assert f'href="/admin/questions/{urgent.pk}/"' in html
    assert f'href="/admin/pages/{article.pk}/edit/"' in html  # never reviewed: due
    assert 'href="/admin/comments/"' in html
    assert 'href="/admin/reports/reviews-due/"' in html


def test_the_dashboard_costs_the_same_queries_for_1_or_10_items_of_everything(user_in, data):
    admin = user_in("admin", superuser=True)
    client = Client()
    client.force_login(admin)
    client.get(DASHBOARD)  # sessions, Wagtail's user profile: made once, not measured
    data(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(DASHBOARD).status_code == 200
    data(9)
    with CaptureQueriesContext(connection) as ten:
        html = client.get(DASHBOARD).content.decode()
    assert "10 comments waiting" in html
    assert len(ten) == len(one), [q["sql"] for q in ten.captured_queries]


@pytest.mark.parametrize("panel_class", list(BUDGET), ids=lambda c: c.__name__)
def test_each_panel_keeps_its_query_budget_whatever_the_data(panel_class, data, rf, user_in):
    request = rf.get(DASHBOARD)
    request.user = user_in("admin", superuser=True)
    counts = []
    for n in (1, 9):
        data(n)
        with CaptureQueriesContext(connection) as queries:
            html = panel_class().render_html({"request": request})
        counts.append(len(queries))
        assert f"{escape(panel_class.heading)} (" in html
    assert counts == [BUDGET[panel_class]] * 2


def test_wagtails_awaiting_your_review_panel_shows_a_medical_reviewer_the_waiting_article(
    user_in, make_article
):
    writer = user_in("writer", "Editors")
    reviewer = user_in("reviewer", "Medical reviewers")
    draft = make_article("Is it safe to run with a cold?", publish=False)
    draft.get_workflow().start(draft, writer)
    assert TaskState.objects.filter(status="in_progress").count() == 1
    _, html = panels_for(reviewer)
    assert 'id="awaiting-review-section"' in html
    assert "Is it safe to run with a cold?" in html
    _, html = panels_for(writer)
    assert 'id="awaiting-review-section"' not in html


def test_the_newsletter_panel_says_when_the_next_send_is(user_in):
    now = timezone.now()
    reader = Subscriber.objects.create(
        email="weekly@example.org",
        status=Subscriber.Status.CONFIRMED,
        frequency="weekly",
        articles_since=now - timedelta(days=10),
        last_sent_at=now - timedelta(days=2),
    )
    admin = user_in("admin", superuser=True)
    _, html = panels_for(admin)
    due = timezone.localtime(now + timedelta(days=5) - timedelta(hours=1))
    assert f"The next weekly digest is due on {due.day} {due:%b %Y}" in html

    edition = Edition.objects.create(cutoff=now)  # open: still being sent
    Delivery.objects.create(edition=edition, subscriber=reader)
    _, html = panels_for(admin)
    assert f"{edition} is being sent: 1 message to go" in html


def test_the_article_health_panel_lists_the_same_worst_articles_as_ranking_them_all(
    topic, settings
):
    """The panel ranks only the articles that can be among the worst (health/dashboard.py's
    worst_candidates): for any number of items, its first rows are those of ranking every
    article with a problem, ties included."""
    settings.READING_GRADE_TARGET = 8
    articles = list(ArticlePage.objects.filter(pk__in=add_articles(topic, 16)).order_by("pk"))
    today = timezone.localdate()
    grades = [12, 9, 11, 9, 14, 10, 9.5, 13, 7, 6, 12, 8.5, 11, 9, 15, 10]
    for article, grade in zip(articles, grades, strict=True):
        Readability.objects.update_or_create(
            article=article, defaults={"grade": grade, "long_sentence_share": 0.1}
        )
    for article, broken in [(articles[3], 1), (articles[9], 2)]:
        for n in range(broken):
            ReferenceCheck.objects.create(
                article=article, url=f"https://example.org/{article.pk}/{n}", outcome="broken"
            )
    # (yes, no): low helpful, helped most readers, too few votes to say, exactly half.
    votes = {0: (1, 5), 1: (2, 8), 2: (7, 3), 5: (4, 1), 6: (1, 2), 7: (5, 5), 10: (9, 1)}
    for i, (yes, no) in votes.items():
        FeedbackDay.objects.create(article=articles[i], day=today, yes=yes, no=no)
    articles[12].unpublish()  # the hardest of all but not live: never listed

    def same_first_rows():
        rows = with_problems(article_health(today), SHOWN)
        everything = list(worst_first(rows).values_list("pk", flat=True))
        assert articles[12].pk not in everything
        for limit in range(1, len(everything) + 1):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr("healthpress.health.dashboard.LIMIT", limit)
                candidates = rows.filter(pk__in=worst_candidates(today))
                first = worst_first(candidates)[:limit].values_list("pk", flat=True)
                assert list(first) == everything[:limit]
        return everything

    assert same_first_rows()[:2] == [articles[9].pk, articles[3].pk]  # broken references first
    # Only the reading grade left: the hardest first, equal grades included at the cut.
    ReferenceCheck.objects.all().delete()
    FeedbackDay.objects.all().delete()
    assert same_first_rows()[:5] == [articles[i].pk for i in (14, 4, 7, 0, 10)]


def test_the_reviews_due_panel_lists_the_first_articles_of_the_report(topic, author, rf, user_in):
    """The panel reads the never reviewed and the dated articles apart (articles/dashboard.py):
    together they are the report's first rows, in its order."""
    from healthpress.articles.review import reviews_due, set_review

    today = timezone.localdate()
    ids = add_articles(topic, 9, author=author)
    articles = list(ArticlePage.objects.filter(pk__in=ids).order_by("pk"))
    reviewed = {1: -400, 2: -800, 4: -730, 6: -720, 7: -30}  # days ago: overdue, soon or not due
    for i, days in reviewed.items():
        set_review(articles[i], author, today + timedelta(days=days), months=24)
        articles[i].save(update_fields=["reviewer", "last_reviewed", "next_review_due"])
    request = rf.get(DASHBOARD)
    request.user = user_in("admin", superuser=True)

    def assert_panel_lists_the_reports_first_rows():
        first = [escape(a.title) for a in reviews_due(today)[:5]]
        html = ReviewsDuePanel().render_html({"request": request})
        shown = [title for title in first if title in html]
        assert shown == first
        assert [html.index(t) for t in first] == sorted(html.index(t) for t in first)
        return first

    first = assert_panel_lists_the_reports_first_rows()
    assert escape(articles[2].title) in first  # 4 never reviewed, then the longest overdue
    for i in (0, 3, 5, 8):  # only dated ones left
        set_review(articles[i], author, today - timedelta(days=700 + i), months=24)
        articles[i].save(update_fields=["reviewer", "last_reviewed", "next_review_due"])
    assert_panel_lists_the_reports_first_rows()
