"""The comments listing on Wagtail's viewset (issue 19): filters, search, sorting and pages from
Wagtail's listing; approve, reject, spam and delete as Wagtail bulk actions that go through the
Comment methods; moderators only, and commenters' addresses only for those allowed to see them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from healthpress.comments.models import Comment, Status
from tests.comments.conftest import changes

pytestmark = pytest.mark.django_db

LISTING = "/admin/comments/"
BULK = "/admin/bulk/comments/comment/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def make(article):
    def create(body, name="Reader", **fields):
        return Comment.objects.create(article=article, name=name, body=body, **fields)

    return create


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_order(page, *texts):
    return sorted(texts, key=page.index)


# Bulk actions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("approve", Status.APPROVED, "2 comments approved."),
        ("reject", Status.REJECTED, "2 comments rejected."),
        ("spam", Status.SPAM, "2 comments marked as spam."),
    ],
)
def test_a_bulk_decision_asks_first_then_goes_through_the_comment_methods(
    client, moderator, make, committed, action, status, message
):
    first, second = make("First to decide."), make("Second to decide.")
    untouched = make("Not chosen.")
    client.force_login(moderator)
    url = f"{BULK}{action}/?id={first.pk}&id={second.pk}&next=/admin/comments/"
    confirm = html(client, url)  # Wagtail's confirmation page: a GET changes nothing
    assert "First to decide." in confirm and "Second to decide." in confirm
    assert "Not chosen." not in confirm
    assert not changes()
    with committed():
        done = client.post(url, follow=True)
    assert message in done.content.decode()
    assert done.redirect_chain == [("/admin/comments/", 302)]
    for comment in (first, second):
        comment.refresh_from_db()
        [log] = changes(comment)
        assert comment.status == status and comment.status_changed_by == moderator
        assert (log.user, log.via, log.new_status) == (moderator, "admin bulk", status)
    untouched.refresh_from_db()
    assert untouched.status == Status.PENDING


def test_bulk_approve_purges_and_a_second_time_changes_nothing(
    client, moderator, make, committed, monkeypatch
):
    from healthpress.comments import models

    purged = []
    monkeypatch.setattr(models, "purge_page", lambda page: purged.append(page.pk))
    comment = make("Publish me.")
    client.force_login(moderator)
    with committed():
        client.post(f"{BULK}approve/?id={comment.pk}")
    assert purged == [comment.article_id]
    again = client.post(f"{BULK}approve/?id={comment.pk}", follow=True)
    assert "0 comments approved." in again.content.decode()
    assert len(changes(comment)) == 1


def test_bulk_delete_removes_the_comments(client, moderator, make, committed):
    gone, kept = make("Delete me."), make("Keep me.")
    client.force_login(moderator)
    assert "Delete these comments for good?" in html(client, f"{BULK}delete/?id={gone.pk}")
    with committed():
        client.post(f"{BULK}delete/?id={gone.pk}")
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]


def test_select_all_acts_on_the_filtered_listing_only(client, moderator, make, article):
    needle = make("needle, pending")
    make("other text, pending")
    approved = make("needle, already approved", status=Status.APPROVED)
    client.force_login(moderator)
    # What the footer's "Select all comments in listing" sends: the listing's query and id=all.
    client.post(f"{BULK}spam/?q=needle&id=all")
    assert set(Comment.objects.filter(status=Status.SPAM).values_list("pk", flat=True)) == {
        needle.pk
    }
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and len(changes()) == 1


def test_bulk_actions_ignore_ids_that_are_no_numbers(client, moderator, make):
    comment = make("Still pending.")
    client.force_login(moderator)
    response = client.post(f"{BULK}approve/?id=x&id=1%20OR%201", follow=True)
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_bulk_actions_need_the_csrf_token(moderator, make):
    from tests.conftest import BrowserLikeClient

    comment = make("Forged.")
    browser = BrowserLikeClient(enforce_csrf_checks=True)
    browser.force_login(moderator)
    url = f"{BULK}approve/?id={comment.pk}"
    assert browser.post(url).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    token = CSRF.search(html(browser, url))[1]
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_each_row_offers_the_decisions_for_that_comment(client, moderator, make):
    comment = make("One row.")
    client.force_login(moderator)
    page = html(client, LISTING)
    for action in ("approve", "reject", "spam", "delete"):
        assert f"{BULK}{action}/?id={comment.pk}&amp;next=%2Fadmin%2Fcomments%2F" in page
    assert f'href="/admin/comments/{comment.pk}/"' in page
    assert "data-bulk-action-checkbox" in page and "data-bulk-action-footer" in page


# Who may ----------------------------------------------------------------------------------------


def test_no_one_but_moderators_lists_or_acts(client, django_user_model, make):
    comment = make("Pending.")
    editor = django_user_model.objects.create_user("ed", "ed@x.example", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in (LISTING, f"{LISTING}results/", f"{LISTING}?status="):
        assert client.get(url).status_code == 403
    for action in ("approve", "reject", "spam", "delete"):
        assert client.get(f"{BULK}{action}/?id={comment.pk}").status_code == 403
        assert client.post(f"{BULK}{action}/?id={comment.pk}").status_code == 403
        assert client.post(f"{BULK}{action}/?id=all").status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING and not changes()


def test_a_stranger_is_sent_to_sign_in_from_the_bulk_actions(client, make):
    comment = make("Pending.")
    response = client.post(f"{BULK}approve/?id={comment.pk}")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_the_groups_editor_lists_no_comment_add_change_delete(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@x.example", "pw"))
    group = Group.objects.create(name="Editors of something else")
    page = html(client, f"/admin/groups/edit/{group.pk}/")
    assert "Can see commenters&#x27; email addresses and networks" in page
    assert "Can add comment" not in page and "Can change comment" not in page


def test_the_menu_label_counts_pending_for_each_request(client, moderator, make):
    client.force_login(moderator)
    comment = make("Pending.")
    assert "Comments (1 pending)" in html(client, "/admin/")
    comment.approve()
    home = html(client, "/admin/")
    assert "Comments (1 pending)" not in home and '"Comments"' in home


# Filters, search, sorting, pages ----------------------------------------------------------------


def test_pending_by_default_and_the_status_filter(client, moderator, make):
    make("Waiting here.")
    make("Published here.", status=Status.APPROVED)
    make("Junk here.", status=Status.SPAM)
    client.force_login(moderator)
    default = html(client, LISTING)
    assert "Waiting here." in default and "Published here." not in default
    assert "1 pending" in default
    approved = html(client, f"{LISTING}?status=approved")
    assert "Published here." in approved and "Waiting here." not in approved
    everything = html(client, f"{LISTING}?status=")
    assert all(t in everything for t in ("Waiting here.", "Published here.", "Junk here."))
    # The results view that Wagtail's filters fetch keeps the same default.
    results = html(client, f"{LISTING}results/")
    assert "Waiting here." in results and "Published here." not in results


def test_filters_by_article_and_date(client, moderator, make, make_article):
    other = make_article(question="Other question?")
    here = make("On the first article.")
    Comment.objects.create(article=other, name="B", body="On the other article.")
    here.created_at = timezone.now() - timedelta(days=40)
    here.save()
    client.force_login(moderator)
    by_article = html(client, f"{LISTING}?article={other.pk}")
    assert "On the other article." in by_article and "On the first article." not in by_article
    day = timezone.localdate(here.created_at).isoformat()
    dated = html(client, f"{LISTING}?date_from={day}&date_to={day}")
    assert "On the first article." in dated and "On the other article." not in dated
    recent = html(client, f"{LISTING}?date_from={timezone.localdate().isoformat()}")
    assert "On the other article." in recent and "On the first article." not in recent


def test_search_looks_at_addresses_only_for_those_allowed(client, moderator, make):
    make("Magnesium helped.", name="Ana", email="hidden-reader@example.org")
    client.force_login(moderator)
    assert "Magnesium helped." in html(client, f"{LISTING}?q=magnesium")
    assert "Magnesium helped." in html(client, f"{LISTING}?q=ana")
    assert "Magnesium helped." not in html(client, f"{LISTING}?q=hidden-reader")
    # "Select all" after such a search reaches nothing either.
    client.post(f"{BULK}approve/?q=hidden-reader&id=all")
    assert not changes()
    moderator.groups.add(Group.objects.get(name="Comment moderators"))
    found = html(client, f"{LISTING}?q=hidden-reader")
    assert "Magnesium helped." in found and "hidden-reader@example.org" in found


def test_sorting_by_the_column_headers(client, moderator, make):
    now = timezone.now()
    make("Written by Zoe.", name="Zoe", created_at=now - timedelta(hours=2))
    make("Written by Ana.", name="Ana", created_at=now - timedelta(hours=1))
    make("Written by Mo.", name="Mo", created_at=now)
    client.force_login(moderator)
    texts = ("Written by Zoe.", "Written by Ana.", "Written by Mo.")
    newest_first = html(client, LISTING)
    assert row_order(newest_first, *texts) == [
        "Written by Mo.",
        "Written by Ana.",
        "Written by Zoe.",
    ]
    by_name = html(client, f"{LISTING}?ordering=name")
    assert row_order(by_name, *texts) == ["Written by Ana.", "Written by Mo.", "Written by Zoe."]
    oldest_first = html(client, f"{LISTING}?ordering=created_at")
    assert row_order(oldest_first, *texts) == list(texts)
    for key in ("name", "article__title", "status", "created_at"):
        assert f"ordering={key}" in newest_first or f"ordering=-{key}" in newest_first, key


def test_fifty_to_a_page(client, moderator, article):
    Comment.objects.bulk_create(
        Comment(article=article, name=f"R{n}", body=f"Comment number {n}.", fingerprint=str(n))
        for n in range(51)
    )
    client.force_login(moderator)
    first = html(client, LISTING)
    assert first.count("data-bulk-action-checkbox class") == 50
    assert "Page 1 of 2" in first
    second = html(client, f"{LISTING}?p=2")
    assert second.count("data-bulk-action-checkbox class") == 1
