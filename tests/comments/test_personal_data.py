"""Everything stored for an email address can be exported and erased; comments held as spam
are kept COMMENTS_SPAM_DAYS only."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class

from healthpress.comments.models import Comment, Status
from tests.comments.conftest import changes

pytestmark = pytest.mark.django_db


def test_export_lists_everything_stored_for_the_address(article, approved, capsys):
    approved("Mine", email="Reader@Example.org", ip_network="203.0.113.0", user_agent="UA")
    approved("Someone else's", email="other@example.org")
    call_command("comment_personal_data", "export", "reader@example.org")
    data = json.loads(capsys.readouterr().out)
    [row] = data["comments"]
    assert (row["body"], row["ip_network"], row["user_agent"]) == ("Mine", "203.0.113.0", "UA")


def test_erase_deletes_the_comments_and_shows_them_no_more(article, approved, client):
    approved("Erase me", email="reader@example.org")
    approved("Keep me", email="other@example.org")
    call_command("comment_personal_data", "erase", "READER@example.org", "--yes")
    assert list(Comment.objects.values_list("body", flat=True)) == ["Keep me"]
    assert "Erase me" not in client.get(article.url).content.decode()


def test_bad_address_is_refused():
    with pytest.raises(CommandError):
        call_command("comment_personal_data", "export", "not-an-address")


def test_email_is_never_shown_on_the_page(article, approved, client):
    approved("Hi", email="secret-reader@example.org")
    assert "secret-reader" not in client.get(article.url).content.decode()


# Comments held as spam are kept COMMENTS_SPAM_DAYS, then deleted (issue 24) ----------------------


def days_ago(days):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


@pytest.fixture
def held(article, approved):
    """Comments of every status, with the details a spam check keeps, old and recent."""

    def make(body, status, created_days_ago, marked_days_ago=None, **extra):
        comment = Comment.objects.create(
            article=article,
            name="Spammy",
            body=body,
            email=f"{body.lower().replace(' ', '.')}@example.org",
            ip_network="203.0.113.0",
            user_agent="SpamBot/1.0",
            status=status,
            created_at=days_ago(created_days_ago),
            **extra,
        )
        if marked_days_ago is not None:
            Comment.objects.filter(pk=comment.pk).update(
                status_changed_at=days_ago(marked_days_ago)
            )
        return comment

    old_thread = approved("Old thread, later marked spam", email="thread@example.org")
    reply = approved("Reply under it", parent=old_thread, email="replier@example.org")
    Comment.objects.filter(pk=old_thread.pk).update(
        status=Status.SPAM, status_changed_at=days_ago(45)
    )
    return {
        "caught on arrival long ago": make("Caught long ago", Status.SPAM, 31),
        "marked long ago": make("Marked long ago", Status.SPAM, 400, marked_days_ago=31),
        "old thread": old_thread,
        "its reply": reply,
        "marked lately, posted long ago": make("Marked lately", Status.SPAM, 400, 29),
        "caught lately": make("Caught lately", Status.SPAM, 29),
        "old pending": make("Old pending", Status.PENDING, 400),
        "old rejected": make("Old rejected", Status.REJECTED, 400, 400),
    }


def prune(*args):
    out = StringIO()
    call_command("prune_comments", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_spam_is_deleted_with_its_email_network_and_browser_after_the_spam_days(held):
    assert "Deleted 4 comments held as spam" in prune()
    gone = {"caught on arrival long ago", "marked long ago", "old thread", "its reply"}
    for name, comment in held.items():
        assert Comment.objects.filter(pk=comment.pk).exists() == (name not in gone), name
    remaining = set(Comment.objects.values_list("email", flat=True))
    gone_addresses = {"caught.long.ago@example.org", "marked.long.ago@example.org"}
    assert gone_addresses.isdisjoint(remaining) and "thread@example.org" not in remaining
    assert "caught.lately@example.org" in remaining
    assert not changes(held["old thread"])
    assert "Deleted 0 comments" in prune()  # the next night


def test_a_comment_rescued_from_spam_is_kept(held, moderator):
    held["marked long ago"].approve(by=moderator)
    prune()
    assert Comment.objects.filter(pk=held["marked long ago"].pk).exists()


def test_the_spam_days_follow_the_setting(held, settings):
    settings.COMMENTS_SPAM_DAYS = 28
    prune()
    assert not Comment.objects.filter(status=Status.SPAM).exists()


def test_a_dry_run_deletes_nothing(held):
    assert prune("--dry-run").startswith("3 comments held as spam are due")
    assert Comment.objects.filter(status=Status.SPAM).count() == 5


def test_prune_comments_has_help_that_names_its_setting():
    command = load_command_class(get_commands()["prune_comments"], "prune_comments")
    text = " ".join(command.create_parser("manage.py", "prune_comments").format_help().split())
    assert "COMMENTS_SPAM_DAYS" in text and "--dry-run" in text and "cron" in text
