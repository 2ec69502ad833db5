"""Moderation: one approve() for every path, logged, purging; only moderators; the digest email."""

import re
import traceback

import pytest

from healthpress.comments import tasks
from healthpress.comments.models import BlockedTerm, Comment, Status
from healthpress.core.fill_token import fill_token
from healthpress.core.retries import EmailNotSent
from tests.comments.conftest import changes, form_data
from tests.conftest import BrowserLikeClient

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/admin/comments/\d+/)")
BULK = "/admin/bulk/comments/comment/"  # Wagtail's bulk actions: /<action>/?id=…


@pytest.fixture
def purged(monkeypatch):
    """Records the pages purged, still calling the real purge function."""
    from healthpress.comments import models

    seen = []
    real = models.purge_page

    def spy(page):
        seen.append(page.pk)
        real(page)

    monkeypatch.setattr(models, "purge_page", spy)
    return seen


def test_approve_logs_purges_and_queues_the_notice(
    article, moderator, purged, django_capture_on_commit_callbacks, smtp_server
):
    comment = Comment.objects.create(
        article=article, name="Ana", email="ana@example.org", body="Thanks", notify=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert comment.approve(by=moderator) is True
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED and comment.approved_at
    [log] = changes()
    assert (log.old_status, log.new_status, log.user, log.via) == (
        "pending",
        "approved",
        moderator,
        "admin",
    )
    assert purged == [article.pk]
    [message] = smtp_server.to("ana@example.org")
    assert message["Subject"] == "Your comment is published"
    assert article.url in message.get_content()
    # Approving twice changes nothing and mails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert comment.approve(by=moderator) is False
    assert len(changes()) == 1 and len(smtp_server.messages) == 1


def test_reply_notifies_parent_author_only_after_approval(
    article, approved, moderator, django_capture_on_commit_callbacks, smtp_server
):
    parent = approved("Top", email="parent@example.org", notify=True)
    reply = Comment.objects.create(article=article, parent=parent, name="Bo", body="A reply")
    assert smtp_server.to("parent@example.org") == []
    with django_capture_on_commit_callbacks(execute=True):
        reply.reject(by=moderator)
    assert smtp_server.to("parent@example.org") == []
    with django_capture_on_commit_callbacks(execute=True):
        reply.approve(by=moderator)
    [message] = smtp_server.to("parent@example.org")
    assert "Bo replied to your comment" in message.get_content()


def test_failed_notice_is_released_for_a_retry(
    article, moderator, django_capture_on_commit_callbacks, smtp_server
):
    comment = Comment.objects.create(
        article=article, name="Ana", email="ana@example.org", body="Thanks", notify=True
    )
    smtp_server.reject_next.append("451 try again later")
    with django_capture_on_commit_callbacks(execute=True):
        comment.approve(by=moderator)  # the task fails; the queue records the failure
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED  # the decision stands
    assert comment.approval_notified_at is None  # the notice is not marked as sent
    tasks.send_approval_notices.call(comment.pk)
    assert len(smtp_server.to("ana@example.org")) == 1


def test_a_refused_notice_names_no_address_in_the_task_log(article, moderator, smtp_server):
    """The database task backend keeps a failure's traceback: a mail server's refusal quoting
    the commenter's address must not outlive comment_personal_data erase there."""
    comment = Comment.objects.create(
        article=article, name="Ana", email="refused.ana@example.org", body="Thanks", notify=True
    )
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)
    smtp_server.reject_next.append("550 5.1.1 <refused.ana@example.org>: Recipient rejected")
    with pytest.raises(EmailNotSent) as failed:
        tasks.send_approval_notices.call(comment.pk)
    stored = "".join(traceback.format_exception(failed.value))
    assert f"comment {comment.pk}: SMTPDataError 550" in stored
    assert "refused.ana" not in stored


def test_withdrawing_an_approved_comment_purges(
    article, approved, moderator, purged, django_capture_on_commit_callbacks
):
    comment = approved("Was visible")
    with django_capture_on_commit_callbacks(execute=True):
        comment.mark_spam(by=moderator)
    assert purged == [article.pk]
    assert Comment.objects.visible().count() == 0


def moderator_digest_links(smtp_server, address="mod@health.example"):
    [message] = smtp_server.to(address)
    return message, LINK.findall(message.get_content())


def test_new_comments_email_moderators_in_batches_with_links_to_the_admin(
    client, article, moderator, smtp_server, django_capture_on_commit_callbacks
):
    for n, text in enumerate(("First to moderate", "Second to moderate", "Third to moderate")):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/comments/post/",
                form_data(article, comment=text, email=f"reader{n}@example.org"),
                REMOTE_ADDR="203.0.113.77",
            )
    # One email now for the first; the others wait for the next window's digest.
    message, urls = moderator_digest_links(smtp_server)
    assert message["Subject"] == "1 new comment to moderate"
    first = Comment.objects.get(body="First to moderate")
    assert "First to moderate" in message.get_content() and urls == [f"/admin/comments/{first.pk}/"]
    smtp_server.messages.clear()
    tasks.send_moderator_digest.call()  # the deferred digest at the end of the window
    message, urls = moderator_digest_links(smtp_server)
    assert message["Subject"] == "2 new comments to moderate"
    body = message.get_content()
    assert "Second to moderate" in body and "Third to moderate" in body
    second, third = Comment.objects.filter(body__in=["Second to moderate", "Third to moderate"])
    assert urls == [f"/admin/comments/{second.pk}/", f"/admin/comments/{third.pk}/"]
    # Every moderator gets the list; none of them gets a commenter's address or network.
    assert "@example.org" not in body and "203.0.113" not in body


def test_spam_is_not_sent_to_moderators(
    client, article, moderator, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comments/post/", form_data(article, website="http://bot.example"))
    assert Comment.objects.get().status == Status.SPAM
    assert smtp_server.messages == []


class TestAdmin:
    def test_non_moderators_get_403(self, client, django_user_model, article):
        from django.contrib.auth.models import Permission

        editor = django_user_model.objects.create_user("ed", "ed@x.example", "pw")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(editor)
        comment = Comment.objects.create(article=article, name="A", body="Waiting.")
        assert client.get("/admin/comments/").status_code == 403
        for action in ("approve", "reject", "spam", "delete"):
            url = f"{BULK}{action}/?id={comment.pk}"
            assert client.get(url).status_code == 403
            assert client.post(url).status_code == 403
        assert Comment.objects.get().status == Status.PENDING
        assert "Comments (" not in client.get("/admin/").content.decode()

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get("/admin/comments/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_moderator_lists_filters_searches_and_bulk_approves(
        self, client, moderator, article, make_article, purged, django_capture_on_commit_callbacks
    ):
        other = make_article(question="Other question?")
        a = Comment.objects.create(article=article, name="A", body="needle in the text\nline 2")
        b = Comment.objects.create(article=article, name="B", body="plain")
        c = Comment.objects.create(article=other, name="C", body="needle too")
        client.force_login(moderator)
        listing = client.get("/admin/comments/").content.decode()
        assert "needle in the text\nline 2" in listing  # the text in full
        assert "Comments (3 pending)" in client.get("/admin/").content.decode()
        found = client.get("/admin/comments/?q=needle&status=").content.decode()
        assert "needle in the text" in found and "plain" not in found
        by_article = client.get(f"/admin/comments/?article={other.pk}&status=").content.decode()
        assert "needle too" in by_article and "needle in the text" not in by_article
        dated = client.get("/admin/comments/?status=&date_from=2000-01-01&date_to=2000-01-02")
        assert "No comments match your query." in dated.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"{BULK}approve/?id={a.pk}&id={c.pk}&next=/admin/comments/%3Fstatus%3D"
            )
        assert (response.status_code, response["Location"]) == (302, "/admin/comments/?status=")
        assert set(Comment.objects.visible().values_list("pk", flat=True)) == {a.pk, c.pk}
        assert sorted(purged) == sorted([article.pk, other.pk])
        assert sum(c.user == moderator and c.via == "admin bulk" for c in changes()) == 2
        client.post(f"{BULK}spam/?id={b.pk}")
        assert Comment.objects.get(pk=b.pk).status == Status.SPAM
        client.post(f"{BULK}delete/?id={b.pk}&id={c.pk}")
        assert list(Comment.objects.values_list("pk", flat=True)) == [a.pk]
        detail = client.get(f"/admin/comments/{a.pk}/").content.decode()
        assert "pending → approved by mod via admin bulk" in detail

    def test_moderators_can_edit_the_blocklist(self, client, moderator):
        client.force_login(moderator)
        response = client.get("/admin/snippets/comments/blockedterm/")
        assert response.status_code == 200


class TestSpamChecks:
    def test_honeypot_and_missing_or_fast_token_mean_spam_with_the_same_landing(
        self, post, article
    ):
        ok = post(article)
        trap = post(article, comment="trap text", website="x")
        fast = post(
            article,
            comment="fast text",
            started=fill_token(article.pk),
        )
        none = post(article, comment="no token", started="")
        assert {r.status_code for r in (ok, trap, fast, none)} == {302}
        assert len({r["Location"] for r in (ok, trap, fast, none)}) == 1
        statuses = dict(Comment.objects.values_list("body", "status"))
        assert statuses["trap text"] == statuses["fast text"] == statuses["no token"] == "spam"
        assert statuses["Stretching before bed helps me."] == "pending"

    def test_a_form_older_than_the_cache_life_and_a_day_counts_as_without_token(
        self, post, article, settings
    ):
        import time

        settings.PAGE_CACHE_SECONDS = 3600
        day_old = time.time() - 3600 - 86400 + 60  # the page cached an hour, the tab open a day
        post(article, comment="kept open", started=fill_token(article.pk, day_old))
        post(article, comment="replayed", started=fill_token(article.pk, time.time() - 200_000))
        statuses = dict(Comment.objects.values_list("body", "status"))
        assert statuses == {"kept open": "pending", "replayed": "spam"}

    def test_blocklist_links_and_duplicates(self, post, article):
        BlockedTerm.objects.create(term="Casino")
        BlockedTerm.objects.create(term="pills.example")
        post(article, comment="Visit the casino now")
        post(article, comment="see https://cheap.pills.example/x")
        post(article, comment="links http://a.example http://b.example http://c.example")
        post(article, comment="Same text here")
        post(article, comment="same   TEXT here")
        rows = list(Comment.objects.order_by("pk").values_list("status", "reason"))
        assert rows[0] == ("spam", "contains blocked term “casino”")
        assert rows[1] == ("spam", "contains blocked term “pills.example”")
        assert rows[2] == ("pending", "contains 3 links")
        assert rows[3] == ("pending", "")
        assert rows[4] == ("spam", "same text posted on this article within a day")
        assert Comment.objects.count() == 5  # never silently dropped

    def test_client_address_is_kept_truncated(self, post, article):
        post(article, headers={"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "UA/1"})
        comment = Comment.objects.get()
        assert (comment.ip_network, comment.user_agent) == ("203.0.113.0", "UA/1")


def test_trusted_commenter_publishes_only_through_the_link_sent_to_the_address(
    settings, client, post, article, approved, smtp_server, django_capture_on_commit_callbacks
):
    settings.COMMENTS_TRUSTED_COMMENTERS = True
    approved("Earlier", email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        post(article, email="known@example.org", comment="Back again")
    comment = Comment.objects.get(body="Back again")
    assert comment.status == Status.PENDING  # typing a known address publishes nothing
    [message] = smtp_server.to("known@example.org")
    url = re.search(r"http://testserver(/comments/confirm/\S+/)", message.get_content())[1]
    browser = BrowserLikeClient(enforce_csrf_checks=True)
    page = browser.get(url).content.decode()
    assert comment.status == Status.PENDING
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    browser.post(url, {"csrfmiddlewaretoken": token})
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert changes(comment)[0].via == "confirmed by commenter"


def test_trusted_commenters_are_off_by_default(
    post, article, approved, smtp_server, django_capture_on_commit_callbacks
):
    approved("Earlier", email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        post(article, email="known@example.org", comment="Back again")
    assert smtp_server.to("known@example.org") == []
