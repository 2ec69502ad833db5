"""Only medical review publishes an article (issue 24), on every path Wagtail offers.

Each admin path is walked through Wagtail's own views with the test client, for each role that
must not publish: an editor, a comment moderator (a member moved from the old "Moderators" group
keeps its Wagtail page permissions too), Wagtail's "Moderators" group with the publish permission
Wagtail's initial data gave it (the lock must not depend on a group's permissions), and a medical
reviewer publishing their own draft. An administrator walks the same request to show that the
request itself publishes when the rule allows it, so a refusal is the rule's doing. The workflow
still publishes on a reviewer's approval, though no reviewer holds a publish permission.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Revision, TaskState

from healthpress.articles.models import ArticlePage
from healthpress.core.site import get_or_create_topic

from .test_author_listing import assert_dates_copied
from .test_review_workflow import approve, edit_data, submit

pytestmark = pytest.mark.django_db

ADMIN = "administrator"
REFUSED_ROLES = [
    "editor",
    "comment moderator",
    "moderator with publish",
    "medical reviewer, own draft",
]
EVERY_ROLE = [*REFUSED_ROLES, ADMIN]


def give_publish_on_the_root(group):
    """What Wagtail's initial data gives "Moderators", and an administrator may give any group."""
    GroupPagePermission.objects.get_or_create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        ),
    )


@pytest.fixture
def as_role(make_user, author):
    """A logged-in client for a role, and the user."""

    def make(role):
        if role == ADMIN:
            user = make_user("root", superuser=True)
        elif role == "editor":
            user = make_user("editor", "Editors")
        elif role == "comment moderator":
            user = make_user("cmod", "Comment moderators", "Moderators")
        elif role == "moderator with publish":
            user = make_user("moderator", "Moderators")
            give_publish_on_the_root(Group.objects.get(name="Moderators"))
        elif role == "medical reviewer, own draft":
            user = make_user("dana", "Medical reviewers", person=author)
        client = Client()
        client.force_login(user)
        return client, user

    return make


@pytest.fixture
def draft(make_article):
    return make_article("Why do my fingers turn white in the cold?", publish=False)


def expected_live(role):
    return role == ADMIN


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_edit_view_publish(as_role, draft, role):
    client, _ = as_role(role)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        edit_data(draft, **{"action-publish": "publish"}),
    )
    draft.refresh_from_db()
    assert draft.live is expected_live(role)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_create_view_publish(as_role, topic, author, role):
    client, _ = as_role(role)
    data = edit_data(
        ArticlePage(title="Why do my ears pop on planes?", slug="ears-pop", short_answer="Air."),
        author=author.pk,
        **{"action-publish": "publish"},
    )
    client.post(reverse("wagtailadmin_pages:add", args=["articles", "articlepage", topic.pk]), data)
    created = ArticlePage.objects.filter(slug="ears-pop").first()
    # Whoever may add pages keeps the article as a draft to submit (reviewers add none).
    assert (created is not None and created.live) is expected_live(role)
    if role in ("editor", "moderator with publish"):
        assert created is not None


def bulk_publish_url(*pages):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    return url + "?" + "&".join(f"id={page.pk}" for page in pages) + "&next=/admin/"


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_bulk_publish(as_role, draft, role):
    """The Pages listing's bulk action: its confirmation page, then "Yes, publish"."""
    client, _ = as_role(role)
    url = bulk_publish_url(draft)
    confirm = client.get(url)
    client.post(url, {})
    draft.refresh_from_db()
    assert draft.live is expected_live(role)
    if not expected_live(role) and confirm.status_code == 200:
        assert "permission to publish this page" in confirm.content.decode()


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_copy_with_publish_copies(as_role, make_article, topic, role):
    """A live article copied with "Publish copies" would be a new live article, its title
    changed at will, without any review."""
    client, _ = as_role(role)
    live = make_article("Is cramping caused by too much calcium?")
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[live.pk]),
        {
            "new_title": "Is cramping caused by too little calcium?",
            "new_slug": "too-little-calcium",
            "new_parent_page": topic.pk,
            "publish_copies": "on",
        },
    )
    copied = ArticlePage.objects.filter(slug="too-little-calcium").first()
    assert (copied is not None and copied.live) is expected_live(role)
    assert_dates_copied()  # Wagtail saves a live copy's date alone (update_fields)
    if role != ADMIN:
        assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_revision_revert_and_publish(as_role, draft, role):
    client, _ = as_role(role)
    revision = draft.get_latest_revision()
    client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[draft.pk, revision.pk]),
        edit_data(draft, **{"action-publish": "publish"}),
    )
    draft.refresh_from_db()
    assert draft.live is expected_live(role)


def run_scheduled_publishing_after_go_live(monkeypatch):
    """Wagtail's `publish_scheduled` command, run two days later (past the go-live time)."""
    later = timezone.now() + timedelta(days=2)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_scheduled_go_live_of_an_unreviewed_revision(as_role, draft, make_user, monkeypatch, role):
    """An editor saves a draft with a go-live date; publishing it schedules it, and Wagtail's
    `publish_scheduled` publishes whatever was scheduled, asking nobody. So the rule must hold
    when it is scheduled."""
    draft.go_live_at = timezone.now() + timedelta(days=1)
    draft.save_revision(user=make_user("writer", "Editors"))
    client, _ = as_role(role)
    client.post(bulk_publish_url(draft), {})
    scheduled = Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    assert scheduled is expected_live(role)
    run_scheduled_publishing_after_go_live(monkeypatch)
    draft.refresh_from_db()
    assert draft.live is expected_live(role)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_moving_a_live_article(as_role, make_article, topic, role):
    """Wagtail treats moving a live page as publishing it at its new address."""
    client, _ = as_role(role)
    live = make_article()
    other, _ = get_or_create_topic("Heart and circulation")
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[live.pk, other.pk]))
    live.refresh_from_db()
    moved = live.get_parent().pk == other.pk
    assert moved is expected_live(role)
    assert live.live


@pytest.mark.parametrize(
    ("role", "may_take_down"),
    [
        ("editor", False),
        ("comment moderator", False),
        ("moderator with publish", False),
        ("medical reviewer, own draft", True),
        (ADMIN, True),
    ],
)
def test_unpublish(as_role, make_article, role, may_take_down):
    """Taking an article down stays quick: medical reviewers and administrators, no review."""
    client, _ = as_role(role)
    live = make_article()
    client.post(reverse("wagtailadmin_pages:unpublish", args=[live.pk]))
    live.refresh_from_db()
    assert live.live is not may_take_down


def test_whoever_is_given_the_take_down_permission_may_unpublish_at_once(make_article, make_user):
    group = Group.objects.create(name="Duty editors")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="articles", codename="unpublish_article"),
    )
    client = Client()
    client.force_login(make_user("duty", "Duty editors"))
    live = make_article()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    client.post(f"{url}?id={live.pk}&next=/admin/", {})
    live.refresh_from_db()
    assert not live.live


def test_the_api_is_not_mounted():
    """Wagtail's API would be another way to read and, with write access, to publish pages."""
    assert not any(app.startswith("wagtail.api") for app in settings.INSTALLED_APPS)
    assert Client().get("/api/v2/pages/").status_code == 404


def test_no_group_holds_publish_where_articles_live():
    covering = GroupPagePermission.objects.filter(
        permission__codename="publish_page", page__depth__lte=3
    )
    assert not covering.exists()
    reviewers = Group.objects.get(name="Medical reviewers")
    assert reviewers.permissions.filter(codename="unpublish_article").exists()


def test_the_migration_takes_publish_away_wherever_articles_are_or_may_be(topic, home):
    """As migration 0005 found a site: publish on the root (Wagtail's "Moderators"), on a topic,
    and on the editorial policy page, which can hold no article and keeps it."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from healthpress.core.models import EditorialPolicyPage

    name = "0005_only_review_publishes_articles"
    migration = import_module(f"healthpress.articles.migrations.{name}")
    policy = home.add_child(instance=EditorialPolicyPage(title="Policy", slug="policy", body="x"))
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    moderators = Group.objects.get(name="Moderators")
    for page in (Page.get_first_root_node(), topic, policy):
        GroupPagePermission.objects.create(group=moderators, page=page, permission=publish)

    state = MigrationLoader(connection).project_state(("articles", name))
    migration.only_review_publishes(state.apps, None)

    kept = GroupPagePermission.objects.filter(permission=publish)
    assert [granted.page_id for granted in kept] == [policy.pk]


def test_the_workflow_publishes_on_a_reviewer_approval_without_a_publish_permission(
    draft, writer, reviewer
):
    assert not reviewer.has_perm("wagtailcore.publish_page")
    assert not GroupPagePermission.objects.filter(
        group__user=reviewer, permission__codename="publish_page"
    ).exists()
    assert not draft.permissions_for_user(reviewer).can_publish()
    writer_client, reviewer_client = Client(), Client()
    writer_client.force_login(writer)
    reviewer_client.force_login(reviewer)
    submit(writer_client, draft)
    approve(reviewer_client, draft)
    draft.refresh_from_db()
    assert draft.live
    assert draft.last_reviewed == timezone.localdate()


def test_a_scheduled_approval_goes_live_with_publish_scheduled(
    draft, writer, reviewer, monkeypatch
):
    go_live = timezone.localtime() + timedelta(days=1)
    writer_client, reviewer_client = Client(), Client()
    writer_client.force_login(writer)
    reviewer_client.force_login(reviewer)
    writer_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        edit_data(
            draft,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-submit": "submit"},
        ),
    )
    approve(reviewer_client, draft)
    draft.refresh_from_db()
    assert not draft.live
    assert Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    run_scheduled_publishing_after_go_live(monkeypatch)
    draft.refresh_from_db()
    assert draft.live and draft.reviewer is not None
    assert_dates_copied()


def test_another_workflow_does_not_publish_an_article_without_a_medical_review(
    draft, writer, make_user
):
    """A workflow an administrator adds with a plain group approval, and no medical review,
    publishes only as Wagtail's own would: with the approver's permission, which a moderator
    does not have for an article."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    moderators = Group.objects.get(name="Moderators")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.add(moderators)
    workflow = Workflow.objects.create(name="Quick approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=draft.get_parent(), defaults={"workflow": workflow})
    moderator = make_user("moderator", "Moderators")
    writer_client, moderator_client = Client(), Client()
    writer_client.force_login(writer)
    moderator_client.force_login(moderator)
    submit(writer_client, draft)
    state = TaskState.objects.get(workflow_state__object_id=str(draft.pk), status="in_progress")
    moderator_client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", state.pk]),
        {"comment": ""},
    )
    draft.refresh_from_db()
    assert not draft.live
