"""The "Medical reviewers" group and the "Medical review" workflow, made the site's default.

The workflow is attached to the root page, taking the place of Wagtail's own default
("Moderators approval"), so every article, wherever it is created, goes through medical review.
Reviewers can reach the admin and edit pages (to fix what they find). They hold the publish
permission because Wagtail publishes an approved page as the approving user; publishing an article
directly, outside review, is refused to everyone but administrators (wagtail_hooks.py).
"""

from django.db import migrations

GROUP = "Medical reviewers"
WORKFLOW = "Medical review"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    MedicalReviewTask = apps.get_model("articles.MedicalReviewTask")

    group, _ = Group.objects.get_or_create(name=GROUP)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group.permissions.add(access_admin)

    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    change_page, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="change_page", defaults={"name": "Can change page"}
    )
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    publish_page, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish page"}
    )
    for permission in (change_page, publish_page):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)

    task_type, _ = ContentType.objects.get_or_create(
        app_label="articles", model="medicalreviewtask"
    )
    task = MedicalReviewTask.objects.filter(name=WORKFLOW).first()
    if task is None:
        task = MedicalReviewTask.objects.create(name=WORKFLOW, content_type=task_type, active=True)
    task.groups.add(group)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_review_and_trust"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
