"""Who must sign in with a second step: whoever can do something sensitive, however they came to
hold the power (a group of any name), checked through Django's permissions, Wagtail's page
permissions and the workflow's groups (signin/two_factor.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowTask

from healthpress.signin.two_factor import sensitive_permissions

from .steps import asked_for_a_code, sign_in, staff_in

pytestmark = pytest.mark.django_db
SETUP = "/admin/two-factor/setup/"


@pytest.mark.parametrize(
    "permission",
    [
        "comments.view_commenter_details",  # see commenters' addresses and networks
        "comments.moderate_comment",  # moderate comments
        "questions.change_question",  # triage readers' questions
        "newsletter.change_subscriber",  # manage subscribers
        "auth.add_user",  # manage users ...
        "auth.change_user",
        "auth.change_group",  # ... or the groups that give every power above
    ],
)
def test_a_group_of_any_name_given_a_sensitive_permission_is_asked_for_a_code(
    client, required, permission
):
    staff_in("Night shift", "member", permission)
    sign_in(client, "member")
    assert asked_for_a_code(client) == SETUP


def test_a_group_of_any_name_that_may_publish_pages_is_asked_for_a_code(client, required):
    member = staff_in("Weekend desk", "member")
    GroupPagePermission.objects.create(
        group=member.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        ),
    )
    sign_in(client, "member")
    assert asked_for_a_code(client) == SETUP


def approval_task(group, *, task_active=True, workflow_active=True):
    task = GroupApprovalTask.objects.create(name="Second opinion", active=task_active)
    task.groups.add(group)
    workflow = Workflow.objects.create(name="Second opinion", active=workflow_active)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return task


def test_a_group_that_approves_on_an_active_workflow_task_is_asked_for_a_code(client, required):
    member = staff_in("Second readers", "member")
    approval_task(member.groups.get())
    sign_in(client, "member")
    assert asked_for_a_code(client) == SETUP


@pytest.mark.parametrize("inactive", ["task_active", "workflow_active"])
def test_a_group_on_a_disabled_task_or_workflow_approves_nothing_and_is_not_asked(
    client, required, inactive
):
    member = staff_in("Second readers", "member")
    approval_task(member.groups.get(), **{inactive: False})
    sign_in(client, "member")
    assert asked_for_a_code(client) is None


def test_an_editor_who_may_only_draft_is_not_asked(client, required):
    staff_in("Editors", "writer")  # Wagtail's Editors: add and change pages, no publish
    assert not Group.objects.get(name="Editors").page_permissions.filter(
        permission__codename="publish_page"
    ).exists()
    sign_in(client, "writer")
    assert asked_for_a_code(client) is None


@pytest.mark.parametrize(
    "group", ["Medical reviewers", "Moderators", "Comment moderators", "Question editors"]
)
def test_the_sites_own_groups_are_asked_for_their_powers_not_their_names(client, required, group):
    """The groups the migrations make, as they come: reviewers approve on the Medical review
    task, Wagtail's Moderators publish, comment moderators see commenters' details, question
    editors triage."""
    staff_in(group, "member")
    sign_in(client, "member")
    assert asked_for_a_code(client) == SETUP


def test_every_app_declares_its_sensitive_permissions():
    """Each app names its own (register_two_factor_permissions in its wagtail_hooks.py); this
    is the list issue 24 asked for."""
    assert {
        "comments.view_commenter_details",
        "comments.moderate_comment",
        "questions.change_question",
        "newsletter.change_subscriber",
        "auth.add_user",
        "auth.change_user",
        "auth.add_group",
        "auth.change_group",
    } <= sensitive_permissions()
