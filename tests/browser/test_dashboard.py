"""The admin dashboard in Chromium: an administrator signs in to a site with something waiting
in every panel, sees each panel with its count, and axe-core finds no problem on the page."""

from datetime import timedelta

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

PASSWORD = "look-at-the-dashboard-123"
# The demo adds its own activity, so the counts beside these are not asserted here.
HEADINGS = [
    "New readers' questions",
    "Comments to moderate",
    "Article health",
    "Reviews due",
    "Newsletter subscribers",
]


@pytest.fixture
def waiting(site, django_user_model, settings):
    """The demo site, plus one of each thing a panel lists (the demo has some already)."""
    from django.utils import timezone

    from healthpress.articles.models import ArticlePage
    from healthpress.comments.models import Comment
    from healthpress.health.models import Readability, ReferenceCheck
    from healthpress.newsletter.models import Delivery, Edition, Subscriber
    from healthpress.questions.models import CONSENT_WORDING_VERSION, Question

    now = timezone.now()
    article = ArticlePage.objects.live().order_by("pk").first()
    Comment.objects.create(article=article, name="Ana Reader", body="Does this apply to children?")
    Question.objects.create(
        question="Is chest pain after running normal?",
        consent_version=CONSENT_WORDING_VERSION,
        flagged=True,
        red_flags="chest pain",
    )
    Readability.objects.filter(article=article).update(grade=settings.READING_GRADE_TARGET + 4)
    ReferenceCheck.objects.create(
        article=article, url="https://example.org/gone", outcome="broken", status_code=404
    )
    ArticlePage.objects.filter(pk=article.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=3)
    )
    subscriber = Subscriber.objects.create(
        email="reader@example.org",
        status=Subscriber.Status.CONFIRMED,
        articles_since=now - timedelta(days=2),
    )
    edition = Edition.objects.create(cutoff=now, finished_at=now, open_slot=None)
    Delivery.objects.create(edition=edition, subscriber=subscriber, status=Delivery.Status.SENT)
    django_user_model.objects.create_superuser("boss", "boss@health.example", PASSWORD)


def test_every_panel_is_on_the_dashboard_and_it_passes_axe(
    site, waiting, browser_page, assert_accessible
):
    page = browser_page
    page.goto(site["base"] + "/admin/login/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site["base"] + "/admin/")
    for heading in HEADINGS:
        assert page.get_by_role("heading", name=heading).first.is_visible(), heading
    assert page.get_by_role("link", name="Is chest pain after running normal?").is_visible()
    assert_accessible(page)
