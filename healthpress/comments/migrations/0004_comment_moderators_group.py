"""The "Comment moderators" group (issue 15): the one permission to see commenters' email
addresses, networks and browsers in the comment admin. "Moderators" keep moderating without it;
put a person in both groups to let them see who wrote. As in 0002, the permission is created here
so the group can be given it in the same run."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Comment moderators"
CODENAME = "view_commenter_details"


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to grant it.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="comments", content_type__model="comment", codename=CODENAME
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="comments", codename=CODENAME)
        )
        # Only a group this migration made and nobody used since goes away with it.
        if not group.permissions.exists() and not group.user_set.exists():
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_duplicate_check_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="comment",
            options={
                "ordering": ["created_at", "pk"],
                "permissions": [
                    (CODENAME, "Can see commenters' email addresses and networks"),
                ],
            },
        ),
        migrations.RunPython(create_group, remove_group),
    ]
