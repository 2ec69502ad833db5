"""Moderation decisions are logged in Wagtail's log, so they show in Reports → Site history
(comments/history.py), and migration 0006 carried the old CommentLog rows into it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from wagtail.models import ModelLogEntry

from healthpress.comments.models import Comment, Status
from tests.comments.conftest import changes

SITE_HISTORY = reverse("wagtailadmin_reports:site_history")


def test_approving_and_rejecting_show_in_the_site_history_report(
    client, article, moderator, committed
):
    kept = Comment.objects.create(article=article, name="Ana", body="Thanks, this helped.")
    dropped = Comment.objects.create(article=article, name="Bo", body="Buy pills here.")
    client.force_login(moderator)
    with committed():
        client.post(f"/admin/comments/{kept.pk}/", {"action": "approve"})
        client.post(f"/admin/comments/{dropped.pk}/", {"action": "reject"})

    report = client.get(SITE_HISTORY)
    assert report.status_code == 200
    html = report.content.decode()
    assert f"Comment {kept.pk} by Ana" in html and f"Comment {dropped.pk} by Bo" in html
    assert "Approved (was pending), via admin" in html
    assert "Rejected (was pending), via admin" in html
    # Filterable by the action, as Wagtail's own actions are.
    approvals = client.get(SITE_HISTORY, {"action": "comments.approve"}).content.decode()
    assert f"Comment {kept.pk} by Ana" in approvals
    assert f"Comment {dropped.pk} by Bo" not in approvals
    # The comment's own page lists the same history.
    detail = client.get(f"/admin/comments/{kept.pk}/").content.decode()
    assert "pending → approved by mod via admin" in detail


def test_the_report_does_not_show_comment_decisions_to_editors_without_a_comment_permission(
    client, article, moderator, django_user_model
):
    comment = Comment.objects.create(article=article, name="Ana", body="Thanks.")
    comment.approve(by=moderator)
    editor = django_user_model.objects.create_user("ed", password="pw-for-tests-only")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert f"Comment {comment.pk} by Ana" not in client.get(SITE_HISTORY).content.decode()


def test_a_deleted_comment_takes_its_history_with_it(article, moderator):
    comment = Comment.objects.create(article=article, name="Ana", body="Thanks.")
    comment.approve(by=moderator)
    assert len(changes(comment)) == 1
    comment.remove(by=moderator)
    assert not changes()


# Serialized like every other transactional test here (tests/pagecache/test_after_commit.py):
# its data comes back at the start and the flush at its end does not re-create content types,
# which the next serialized test would then insert twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_the_history_commentlog_held(make_article, django_user_model):
    article = make_article()
    moderator = django_user_model.objects.create_user("mod", password="pw-for-tests-only")
    comment = Comment.objects.create(
        article=article, name="Ana", body="Thanks.", status=Status.APPROVED
    )
    before, after = (
        ("comments", "0005_moderate_comment_permission"),
        ("comments", "0007_delete_commentlog"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        CommentLog = old_apps.get_model("comments", "CommentLog")
        at = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
        CommentLog.objects.create(
            comment_id=comment.pk,
            old_status="pending",
            new_status="spam",
            user_id=moderator.pk,
            via="email link",
            at=at,
        )
        CommentLog.objects.create(
            comment_id=comment.pk,
            old_status="spam",
            new_status="approved",
            user_id=None,
            via="admin",
            at=at + dt.timedelta(hours=1),
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([after])

    history = changes(comment)
    assert [(c.old_status, c.new_status, c.via) for c in history] == [
        ("pending", "spam", "email link"),
        ("spam", "approved", "admin"),
    ]
    assert [c.at for c in history] == [at, at + dt.timedelta(hours=1)]
    assert [c.user for c in history] == [moderator, None]
    entry = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk)
        )
        .order_by("timestamp")
        .first()
    )
    assert (entry.action, entry.label) == ("comments.spam", f"Comment {comment.pk} by Ana")
    assert "comments_commentlog" not in connection.introspection.table_names()
