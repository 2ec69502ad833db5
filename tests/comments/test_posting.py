"""A reader posts a comment: stored pending, PRG landing, clear 4xx for anything wrong."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthpress.comments.models import Comment, Status
from tests.comments.conftest import form_data

pytestmark = pytest.mark.django_db


def test_new_comment_is_stored_pending_and_redirects_to_the_fixed_landing(post, article, client):
    response = post(article, comment="Magnesium helped <b>me</b>.")
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment=received#comments"
    comment = Comment.objects.get()
    assert (comment.status, comment.body, comment.reason) == (
        Status.PENDING,
        "Magnesium helped me.",
        "",
    )
    landing = client.get(response["Location"]).content.decode()
    assert "Thank you — your comment is awaiting moderation." in landing
    assert "Magnesium helped" not in landing  # pending: not shown, not even to its author
    assert "Comments (0)" in landing


def test_unapproved_comment_is_not_shown_to_readers(client, article, approved):
    Comment.objects.create(article=article, name="Spammy", body="hidden text", status="pending")
    Comment.objects.create(article=article, name="Rej", body="rejected text", status="rejected")
    approved("Visible text", name="Bea")
    html = client.get(article.url).content.decode()
    assert "Visible text" in html and "Comments (1)" in html
    assert "hidden text" not in html and "rejected text" not in html


def test_plain_article_has_no_thank_you_notice(client, article):
    assert "awaiting moderation" not in client.get(article.url).content.decode()


def test_invalid_submission_is_400_with_messages_and_the_typed_text_kept(post, article):
    typed = "A long story about my cramps <and> more\n\nsecond paragraph"
    response = post(article, name="", email="not-an-email", comment=typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter your name." in html
    assert "Enter a valid email address" in html
    assert 'value="not-an-email"' in html
    assert "A long story about my cramps &lt;and&gt; more\n\nsecond paragraph</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert Comment.objects.count() == 0


def test_too_short_after_cleaning_is_400(post, article):
    response = post(article, comment="<b> </b>x")
    assert response.status_code == 400
    assert "at least 2 characters" in response.content.decode()


def test_too_long_comment_is_400_and_kept(post, article):
    response = post(article, comment="word " * 1100)
    assert response.status_code == 400
    html = response.content.decode()
    assert "too long" in html
    assert ("word " * 50) in html


def test_notify_without_email_asks_for_the_email(post, article):
    response = post(article, notify="1")
    assert response.status_code == 400
    assert "Enter your email address so we can notify you." in response.content.decode()


def test_cross_site_post_is_refused_with_403(post, article):
    response = post(article, headers={"HTTP_SEC_FETCH_SITE": "cross-site"})
    assert response.status_code == 403
    response = post(article, headers={"HTTP_ORIGIN": "https://evil.example"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_same_origin_browser_post_passes(post, article):
    headers = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    assert post(article, headers=headers).status_code == 302


def test_get_is_not_allowed(client):
    assert client.get("/comments/post/").status_code == 405


def test_one_megabyte_body_is_413_with_a_clear_message(post, article):
    response = post(article, comment="x" * 1_000_000)
    assert response.status_code == 413
    assert "too large" in response.content.decode()


@pytest.mark.parametrize("page", ["", "abc", "999999", "-1", "1e9", "99999999999999999999999"])
def test_missing_or_nonexistent_article_is_404(client, article, page):
    response = client.post("/comments/post/", form_data(article, page=page))
    assert response.status_code == 404
    assert "not open for comments" in response.content.decode()


def test_a_page_that_is_not_an_article_is_404(client, article):
    topic = article.get_parent()
    assert client.post("/comments/post/", form_data(article, page=topic.pk)).status_code == 404
    assert Comment.objects.count() == 0


def test_unpublished_article_is_404(client, make_article):
    draft = make_article(question="Draft question?", publish=False)
    assert client.post("/comments/post/", form_data(draft)).status_code == 404


@pytest.mark.parametrize("restricted", ["article", "topic"])
def test_article_behind_a_view_restriction_is_404(client, article, restricted):
    from wagtail.models import PageViewRestriction

    page = article if restricted == "article" else article.get_parent()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.post("/comments/post/", form_data(article)).status_code == 404
    assert Comment.objects.count() == 0


def test_a_restriction_on_a_sibling_article_does_not_close_this_one(client, make_article):
    from wagtail.models import PageViewRestriction

    first = make_article(question="First question?")
    sibling = make_article(question="Second question?")
    PageViewRestriction.objects.create(page=sibling, restriction_type=PageViewRestriction.LOGIN)
    assert client.post("/comments/post/", form_data(first)).status_code == 302
    assert client.post("/comments/post/", form_data(sibling)).status_code == 404


def test_a_comment_post_costs_three_queries_however_many_comments_exist(post, article):
    """The article, INSERT, duplicate-text check: nothing else (the private areas `public()`
    leaves out are kept until the next purge, core/pages.py)."""
    post(article, comment="The first comment warms the blocklist and digest caches.")
    Comment.objects.bulk_create(
        Comment(article=article, name="Earlier", body=f"Earlier comment {n}", fingerprint=str(n))
        for n in range(300)
    )
    with CaptureQueriesContext(connection) as queries:
        assert post(article, comment="One more comment.").status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 3, sql
    assert sql[1].startswith('INSERT INTO "comments_comment"')
    assert Comment.objects.filter(body="One more comment.", status=Status.PENDING).exists()


def test_duplicate_check_reads_the_index_not_every_comment_on_the_article(article):
    """The check runs on every POST; reading all of an article's comments made each POST slower
    than the last (SQLite picked the article index over the fingerprint one)."""
    from django.utils import timezone

    from healthpress.comments.spam import earlier_copies

    if connection.vendor != "sqlite":
        pytest.skip("the plan of a tiny PostgreSQL table says nothing about a large one")
    comment = Comment(pk=1, article=article, fingerprint="f" * 64)
    plan = earlier_copies(comment, timezone.now()).explain()
    assert "article_id=? AND fingerprint=? AND created_at>?" in plan, plan


def test_same_text_counts_as_a_repeat_only_on_the_same_article_within_a_day(
    post, article, make_article
):
    from datetime import timedelta

    from django.utils import timezone

    other = make_article(question="Another question?")
    post(article, comment="Magnesium at night helped me.")
    post(other, comment="Magnesium at night helped me.")
    Comment.objects.update(created_at=timezone.now() - timedelta(hours=25))
    post(article, comment="magnesium  AT night helped me.")
    assert (
        list(Comment.objects.order_by("pk").values_list("status", flat=True))
        == [Status.PENDING] * 3
    )
    Comment.objects.filter(article=article).update(created_at=timezone.now() - timedelta(hours=23))
    post(article, comment="Magnesium at night helped me.")
    assert Comment.objects.order_by("pk").last().status == Status.SPAM


def test_missing_fields_are_400_not_500(client, article):
    response = client.post("/comments/post/", {"page": article.pk})
    assert response.status_code == 400


def test_invalid_utf8_and_null_bytes_are_handled(client, article):
    body = f"page={article.pk}&name=Ana&comment=ok%00%FF%FE%C3%28text".encode()
    response = client.post(
        "/comments/post/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert (
        Comment.objects.get().body == "ok\ufffd\ufffd\ufffd(text"
    )  # bad bytes replaced, null removed


def test_emoji_and_right_to_left_text_are_kept(post, article):
    assert post(article, name="سارة", comment="شكرا 🙏 מאוד").status_code == 302
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == ("سارة", "شكرا 🙏 מאוד")


@pytest.mark.parametrize("target", ["missing", "pending", "other_article"])
def test_reply_to_an_unavailable_comment_is_400_with_text_kept(post, article, make_article, target):
    other = make_article(question="Another question?")
    parents = {
        "missing": 987654,
        "pending": Comment.objects.create(article=article, name="P", body="pending one").pk,
        "other_article": Comment.objects.create(
            article=other, name="O", body="elsewhere", status="approved"
        ).pk,
    }
    response = post(article, reply_to=str(parents[target]), comment="My reply text")
    assert response.status_code == 400
    html = response.content.decode()
    assert "not available" in html and "My reply text</textarea>" in html


def test_reply_to_a_reply_joins_the_top_level_thread(post, article, approved):
    top = approved("Top")
    reply = approved("Reply", parent=top)
    assert post(article, reply_to=str(reply.pk), comment="Reply to reply").status_code == 302
    assert Comment.objects.get(body="Reply to reply").parent == top


def test_reply_link_prefills_the_form(client, article, approved):
    top = approved("Top", name="Bea")
    html = client.get(f"{article.url}?reply={top.pk}").content.decode()
    assert "Replying to Bea." in html
    assert f'name="reply_to" value="{top.pk}"' in html


def test_rate_limit_gives_429_with_the_text_kept(post, article, settings):
    settings.COMMENTS_RATE_LIMITS = [(2, 60)]
    for n in range(2):
        assert post(article, comment=f"Comment number {n}").status_code == 302
    response = post(article, comment="The third one I typed")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "The third one I typed</textarea>" in response.content.decode()
    assert Comment.objects.count() == 2


def test_the_page_stays_free_of_per_visitor_data(client, article, approved):
    approved("Hello")
    response = client.get(article.url)
    html = response.content.decode()
    assert "csrf" not in html.lower() and not response.cookies


def test_count_order_pagination_and_time_element(client, article, approved):
    first = approved("First one")
    for n in range(55):
        approved(f"Filler {n}")
    approved("Reply under first", parent=first)
    html = client.get(article.url).content.decode()
    assert "Comments (57)" in html
    assert f'<time datetime="{first.created_at:%Y-%m-%dT%H:%M:%S+0000}"' in html
    assert html.index("First one") < html.index("Reply under first") < html.index("Filler 0")
    assert "Filler 54" not in html  # 50 top-level per page
    assert (
        'href="/muscles-bones-and-joints/why-do-my-legs-cramp-at-night/?cpage=2#comments"' in html
    )
    page2 = client.get(f"{article.url}?cpage=2").content.decode()
    assert "Filler 54" in page2 and "First one" not in page2
    newest = client.get(f"{article.url}?corder=newest").content.decode()
    assert newest.index("Filler 54") < newest.index("Filler 10")
    assert "Filler 0<" not in newest
    # Hostile parameters are a 404, never a page the cache keeps (test_canonical_params.py).
    for query in ("cpage=-3", "cpage=abc", "cpage=99999999999999", "reply=x", "corder=<x>"):
        assert client.get(f"{article.url}?{query}").status_code == 404


def test_line_breaks_become_paragraphs(client, article, approved):
    approved("Para one\nline two\n\nPara two")
    html = client.get(article.url).content.decode()
    assert "<p>Para one<br>line two</p>\n\n<p>Para two</p>" in html


def test_article_query_count_is_constant_in_the_number_of_comments(client, article, approved):
    def count_queries():
        for _ in range(2):  # as tests/core/test_views.py warm(): the memo is then full
            client.get(article.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.url).status_code == 200
        return len(queries)

    approved("just one")
    few = count_queries()
    for n in range(120):
        top = approved(f"top {n}")
        approved(f"reply {n}", parent=top)
        approved(f"second reply {n}", parent=top)
    many = count_queries()
    assert many == few
    assert client.get(f"{article.url}?cpage=3&corder=newest").status_code == 200
