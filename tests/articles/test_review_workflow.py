"""The medical review workflow, driven through the real Wagtail admin views."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState

from healthpress.articles.models import ArticlePage, MedicalReviewTask
from healthpress.articles.review import add_months, may_approve, record_approval

pytestmark = pytest.mark.django_db


def edit_data(page, **extra):
    """The article's edit form as a browser would post it (one section, no references)."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "short_answer": page.short_answer,
        "author": page.author_id or "",
        "last_updated": "",
        "condition_name": "Muscle cramp",
        "next_review_due": "",
        "tags": "",
        "body-count": "1",
        "body-0-type": "section",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-heading": "Tired muscles",
        "body-0-value-explanation": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
        '"Muscles that worked hard cramp more easily.", "depth": 0, "inlineStyleRanges": [], '
        '"entityRanges": []}], "entityMap": {}}',
        "body-0-value-advice": '{"blocks": [], "entityMap": {}}',
        "references-count": "0",
    }
    data.update(extra)
    return data


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def submit(client, page):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, edit_data(page, **{"action-submit": "submit"}))


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def approve(client, page):
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status="in_progress")
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    return client.post(url, {"comment": ""})


def test_migration_makes_medical_review_the_default_workflow():
    group = Group.objects.get(name="Medical reviewers")
    assert group.permissions.filter(codename="access_admin").exists()
    workflow = Page.get_first_root_node().get_workflow()
    assert workflow.name == "Medical review"
    task = workflow.workflow_tasks.get().task.specific
    assert isinstance(task, MedicalReviewTask)
    assert list(task.groups.all()) == [group]


def test_writer_submits_cannot_publish_and_reviewer_approval_publishes_with_the_review(
    client, make_article, writer, reviewer, reviewer_person
):
    page = make_article(publish=False)
    writer_client = logged_in(writer)

    # Publishing directly is not open to a writer: the edit is kept as a draft.
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    writer_client.post(url, edit_data(page, **{"action-publish": "publish"}))
    page.refresh_from_db()
    assert not page.live

    assert submit(writer_client, page).status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    # The writer is not offered an approval and cannot post one.
    assert refused(approve(writer_client, page))
    page.refresh_from_db()
    assert not page.live

    response = approve(logged_in(reviewer), page)
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    today = timezone.localdate()
    assert page.live
    assert page.reviewer == reviewer_person
    assert page.last_reviewed == today
    assert page.next_review_due == add_months(today, 24)
    assert page.condition_name == "Muscle cramp"  # the submitted edit is what went live

    html = client.get(page.url).content.decode()
    assert 'Written by <a href="/authors/dana-okafor/">Dana Okafor, MD</a>' in html
    assert (
        'Medically reviewed by <a href="/authors/kofi-mensah/">Kofi Mensah, MBBS, MRCGP</a>, '
        f'General Practitioner on <time datetime="{today.isoformat()}">' in html
    )
    assert f'Last reviewed <time datetime="{today.isoformat()}">' in html
    due = add_months(today, 24).isoformat()
    assert f'Next review due <time datetime="{due}">' in html


def test_a_reviewer_cannot_approve_their_own_article(make_article, make_user, author, writer):
    # The author is also a medical reviewer: they may submit, never approve.
    own = make_user("dana-reviewer", "Medical reviewers")
    author.user = own
    author.save(update_fields=["user"])
    page = make_article(publish=False)
    submit(logged_in(writer), page)
    page.refresh_from_db()
    task = MedicalReviewTask.objects.get()
    assert "approve" not in [name for name, *_ in task.get_actions(page, own)]
    assert refused(approve(logged_in(own), page))
    page.refresh_from_db()
    assert not page.live and page.reviewer is None


def test_a_reviewer_cannot_approve_what_they_submitted(make_article, reviewer):
    page = make_article(publish=False)
    reviewer_client = logged_in(reviewer)
    submit(reviewer_client, page)
    page.refresh_from_db()
    assert page.current_workflow_state.requested_by == reviewer
    assert not may_approve(page, reviewer)
    assert refused(approve(reviewer_client, page))
    page.refresh_from_db()
    assert not page.live


def test_approval_is_refused_below_the_admin_screen_too(make_article, writer, make_user, author):
    """Even a call that skips the action list (an API, a script) cannot self-approve."""
    own = make_user("dana-super", superuser=True)
    author.user = own
    author.save(update_fields=["user"])
    page = make_article(publish=False)
    submit(logged_in(writer), page)
    state = TaskState.objects.get()
    with pytest.raises(PermissionDenied):
        record_approval(state, own)


def test_a_reviewer_without_a_person_cannot_approve(make_article, writer, make_user):
    nameless = make_user("nameless", "Medical reviewers")
    page = make_article(publish=False)
    submit(logged_in(writer), page)
    page.refresh_from_db()
    assert not may_approve(page, nameless)
    assert refused(approve(logged_in(nameless), page))


def test_moderators_cannot_bypass_review_but_administrators_can(make_article, make_user):
    moderator = make_user("moderator", "Moderators")
    page = make_article(publish=False)
    response = logged_in(moderator).post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        edit_data(page, **{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.has_unpublished_changes

    admin = make_user("root", superuser=True)
    logged_in(admin).post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        edit_data(page, **{"action-publish": "publish"}),
    )
    page.refresh_from_db()
    assert page.live


def test_rejection_records_no_review(make_article, writer, reviewer):
    page = make_article(publish=False)
    submit(logged_in(writer), page)
    state = TaskState.objects.get()
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", state.pk])
    logged_in(reviewer).post(url, {"comment": "Please cite the NICE summary."})
    page.refresh_from_db()
    assert not page.live
    assert page.reviewer is None and page.last_reviewed is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 11, 25), 24, datetime.date(2028, 11, 25)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_months_end(day, months, expected):
    assert add_months(day, months) == expected


def test_interval_comes_from_the_site_setting(make_article, writer, reviewer, home):
    from healthpress.articles.models import ReviewSettings

    site_settings = ReviewSettings.for_site(home.get_site())
    site_settings.review_interval_months = 12
    site_settings.save()
    page = make_article(publish=False)
    submit(logged_in(writer), page)
    approve(logged_in(reviewer), page)
    page.refresh_from_db()
    assert page.next_review_due == add_months(timezone.localdate(), 12)
    assert ArticlePage.objects.live().filter(pk=page.pk).exists()
