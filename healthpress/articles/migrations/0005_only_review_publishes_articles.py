"""Only medical review publishes an article (issue 24).

- The permission to take an article down without review, `articles.unpublish_article`, given to
  the "Medical reviewers" group.
- No group keeps `publish` on a part of the tree that holds or may hold articles (the root, the
  home page, a topic): Wagtail's "Moderators" (given publish on the root by Wagtail's initial
  data) and "Medical reviewers" (given it by 0004) lose it. The rule no longer depends on it
  (ArticlePage.permissions_for_user refuses direct publication to everyone but administrators),
  and without it Wagtail stops offering Publish buttons that would only be refused. An approved
  review publishes without it (review.publish_on_approval). A publish permission on a page that
  cannot hold articles (the editorial policy page) is left alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS = "Medical reviewers"
CODENAME = "unpublish_article"
HOLDS_ARTICLES = [("core", "topicpage"), ("articles", "articlepage")]
# Pages at this depth or above (the root, the home page) may have topics added under them.
ABOVE_TOPICS = 2
# Given publish on the root before this migration, so given it back if it is reversed.
HAD_PUBLISH = ["Moderators", REVIEWERS]


def only_review_publishes(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to grant it.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    take_down = Permission.objects.get(content_type__app_label="articles", codename=CODENAME)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(take_down)

    article_types = [
        content_type.pk
        for app_label, model in HOLDS_ARTICLES
        if (content_type := ContentType.objects.filter(app_label=app_label, model=model).first())
    ]
    publish = GroupPagePermission.objects.filter(
        permission__content_type__app_label="wagtailcore", permission__codename="publish_page"
    ).select_related("page")
    for granted in publish:
        page = granted.page
        holds_articles = (
            page.depth <= ABOVE_TOPICS
            or Page.objects.filter(
                path__startswith=page.path, content_type_id__in=article_types
            ).exists()
        )
        if holds_articles:
            granted.delete()


def give_publish_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    for group in Group.objects.filter(name__in=HAD_PUBLISH):
        group.permissions.remove(*Permission.objects.filter(codename=CODENAME))
        if root is not None and publish is not None:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=publish)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_medical_review_workflow"),
        ("core", "0002_editorialpolicypage"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="articlepage",
            options={
                "permissions": [(CODENAME, "Can take an article down without review")],
                "verbose_name": "article",
            },
        ),
        migrations.RunPython(only_review_publishes, give_publish_back),
    ]
