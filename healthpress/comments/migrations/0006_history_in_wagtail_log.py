"""Comment moderation history moves into Wagtail's log (ModelLogEntry), where Reports → Site
history shows it (issue 25). Every CommentLog row becomes one entry, with the same time, user,
old and new status and path ("via"); 0007 then drops CommentLog. Backwards, the entries are
copied back into CommentLog and removed from the log."""

from django.db import migrations

# Kept here rather than imported from comments/history.py: a migration keeps the names it had.
ACTIONS = {
    "approved": "comments.approve",
    "rejected": "comments.reject",
    "spam": "comments.spam",
    "pending": "comments.pending",
}


def comment_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="comments", model="comment")[0]


def copy_to_log(apps, schema_editor):
    CommentLog = apps.get_model("comments", "CommentLog")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = comment_type(apps)
    rows = CommentLog.objects.select_related("comment").order_by("at", "pk")
    ModelLogEntry.objects.bulk_create(
        (
            ModelLogEntry(
                content_type=content_type,
                object_id=str(row.comment_id),
                label=f"Comment {row.comment_id} by {row.comment.name}",
                action=ACTIONS[row.new_status],
                data={"old_status": row.old_status, "new_status": row.new_status, "via": row.via},
                timestamp=row.at,
                user_id=row.user_id,
            )
            for row in rows.iterator(chunk_size=2000)
        ),
        batch_size=500,
    )


def copy_back(apps, schema_editor):
    CommentLog = apps.get_model("comments", "CommentLog")
    Comment = apps.get_model("comments", "Comment")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    entries = ModelLogEntry.objects.filter(
        content_type=comment_type(apps), action__in=ACTIONS.values()
    )
    existing = set(Comment.objects.values_list("pk", flat=True))
    CommentLog.objects.bulk_create(
        CommentLog(
            comment_id=int(entry.object_id),
            old_status=entry.data.get("old_status", ""),
            new_status=entry.data.get("new_status", ""),
            user_id=entry.user_id,
            via=entry.data.get("via", ""),
            at=entry.timestamp,
        )
        for entry in entries.order_by("timestamp", "pk")
        if int(entry.object_id) in existing
    )
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_moderate_comment_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(copy_to_log, copy_back)]
