"""Moderating comments becomes a permission, `comments.moderate_comment` (issue 24).

Until now the comment admin asked for membership of "Moderators", the group Wagtail's initial
data also gives page moderation; every page permission that group held came with the comments.
Now comments/moderators.py asks the permission, and the "Comment moderators" group carries
everything a moderator needs: admin access, `moderate_comment`, the blocklist permissions
"Moderators" had (0002), and `view_commenter_details` (0004), which it keeps. Today's members of
"Moderators" are added to "Comment moderators" so nobody loses moderation; "Moderators" keeps
Wagtail's page meaning and loses the comment permissions.

Members moved across also gain the sight of commenters' details that "Comment moderators"
carries; an administrator who wants moderators without it gives another group
`moderate_comment` alone (Settings → Groups, under "Comment").
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OLD_GROUP = "Moderators"
GROUP = "Comment moderators"
CODENAME = "moderate_comment"
ADMIN_ACCESS = ("wagtailadmin", "admin", "access_admin")


def move_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to grant it.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    group, _ = Group.objects.get_or_create(name=GROUP)
    app_label, model, codename = ADMIN_ACCESS
    granted = list(
        Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
    )
    granted += Permission.objects.filter(content_type__app_label="comments", codename=CODENAME)
    old = Group.objects.filter(name=OLD_GROUP).first()
    if old is not None:
        comment_permissions = list(old.permissions.filter(content_type__app_label="comments"))
        granted += comment_permissions
        group.user_set.add(*old.user_set.all())
        old.permissions.remove(*comment_permissions)
    group.permissions.add(*granted)


def give_moderation_back(apps, schema_editor):
    """Back to 0004: "Moderators" moderates again with the comment permissions of 0002 (the
    members added to "Comment moderators" stay there: nobody can tell them apart now)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    old, _ = Group.objects.get_or_create(name=OLD_GROUP)
    if group is not None:
        kept = ["view_commenter_details"]
        moved = group.permissions.filter(content_type__app_label="comments").exclude(
            codename__in=kept
        )
        old.permissions.add(*moved.exclude(codename=CODENAME))
        group.permissions.remove(*moved)
    old.permissions.remove(*Permission.objects.filter(codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_moderators_group"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="comment",
            options={
                "ordering": ["created_at", "pk"],
                "permissions": [
                    ("view_commenter_details", "Can see commenters' email addresses and networks"),
                    (CODENAME, "Can moderate comments"),
                ],
            },
        ),
        migrations.RunPython(move_moderators, give_moderation_back),
    ]
