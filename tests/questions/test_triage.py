"""Triage in the Wagtail admin (issue 16, point 5): the queue for question editors only, its
filters and search, and the decisions on a question's page (decline, duplicate, merge), each
telling the askers who confirmed an email exactly once."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from healthpress.questions import tasks, triage
from healthpress.questions.models import DeclineReason, Question, Status, TriageError
from tests.conftest import BrowserLikeClient

pytestmark = pytest.mark.django_db

QUEUE = "/admin/questions/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HOSTILE = '<script>alert("q")</script><img src=x onerror=alert(1)>'


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def ago(**delta):
    return timezone.now() - timezone.timedelta(**delta)


@pytest.fixture
def editor_client(client, question_editor):
    client.force_login(question_editor)
    return client


@pytest.fixture
def reason():
    return DeclineReason.objects.get(label="Personal advice")


# Who may triage ---------------------------------------------------------------------------------


def test_a_signed_in_editor_outside_the_group_gets_403_everywhere(
    client, make_question, django_user_model
):
    question = make_question()
    editor = django_user_model.objects.create_user("ed", "ed@health.example", "pw-ed")
    editor.groups.add(Group.objects.get(name="Editors"))  # writes articles, does not triage
    client.force_login(editor)
    urls = [QUEUE, f"{QUEUE}?status=new", f"{QUEUE}results/", f"{QUEUE}{question.pk}/"]
    urls.append(f"{QUEUE}report/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Question editors" in response.content.decode()
    refused = client.post(f"{QUEUE}{question.pk}/", {"action": "decline", "decline-reason": 1})
    assert refused.status_code == 403
    question.refresh_from_db()
    assert question.status == Status.NEW
    home = html(client, "/admin/")
    assert "Questions (" not in home and "Readers' questions" not in home


def test_a_user_with_question_permissions_but_not_the_group_is_refused(
    client, make_question, django_user_model
):
    """The group decides, not the permissions it happens to carry."""
    user = django_user_model.objects.create_user("perms", "p@health.example", "pw-perms")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_question"),
        Permission.objects.get(codename="view_question"),
    )
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, make_question):
    question = make_question()
    for url in (QUEUE, f"{QUEUE}{question.pk}/", f"{QUEUE}report/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_menu_counts_new_questions_for_the_group_and_superusers(
    client, make_question, question_editor, django_user_model
):
    make_question("One?")
    make_question("Two?")
    make_question("Old?", status=Status.DECLINED)
    client.force_login(question_editor)
    home = html(client, "/admin/")
    assert "Questions (2 new)" in home
    assert f"{QUEUE}?status=new" in home  # the menu opens the new questions
    assert f"{QUEUE}report/" in home  # in the Reports menu
    root = django_user_model.objects.create_superuser("root", "root@health.example", "pw-root")
    client.force_login(root)
    assert "Questions (2 new)" in html(client, "/admin/")
    assert "One?" in html(client, f"{QUEUE}?status=new")


def test_wagtails_edit_links_lead_question_editors_to_the_question_page(
    make_question, question_editor, django_user_model
):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    question = make_question()
    assert AdminURLFinder(question_editor).get_edit_url(question) == f"{QUEUE}{question.pk}/"
    writer = django_user_model.objects.create_user("w", "w@health.example", "pw-w")
    writer.groups.add(Group.objects.get(name="Editors"))
    assert AdminURLFinder(writer).get_edit_url(question) is None


def test_decisions_need_the_csrf_token(question_editor, make_question, reason):
    question = make_question()
    browser = BrowserLikeClient(enforce_csrf_checks=True)
    browser.force_login(question_editor)
    url = f"{QUEUE}{question.pk}/"
    page = html(browser, url)
    data = {"action": "decline", "decline-reason": reason.pk}
    assert browser.post(url, data).status_code == 403
    question.refresh_from_db()
    assert question.status == Status.NEW
    done = browser.post(url, {**data, "csrfmiddlewaretoken": CSRF.search(page)[1]})
    assert done.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.DECLINED


# The queue --------------------------------------------------------------------------------------


def rows(page):
    """The questions in the listing, in order (each title links to its triage page)."""
    return re.findall(r'<a href="/admin/questions/\d+/"[^>]*>\s*([^<]+?)\s*</a>', page)


def test_filters_by_status_and_red_flags(editor_client, make_question):
    make_question("New plain?", created_at=ago(days=3))
    make_question("New flagged?", flagged=True, red_flags="chest pain", created_at=ago(days=1))
    make_question("Accepted one?", status=Status.ACCEPTED)
    make_question("Declined one?", status=Status.DECLINED)
    make_question("Duplicate one?", status=Status.DUPLICATE)
    make_question("Answered one?", status=Status.ANSWERED)
    make_question("Merged one?", status=Status.MERGED)

    assert rows(html(editor_client, f"{QUEUE}?status=new")) == ["New flagged?", "New plain?"]
    for status, text in [
        ("accepted", "Accepted one?"),
        ("declined", "Declined one?"),
        ("duplicate", "Duplicate one?"),
        ("answered", "Answered one?"),
        ("merged", "Merged one?"),
    ]:
        assert rows(html(editor_client, f"{QUEUE}?status={status}")) == [text], status
    assert rows(html(editor_client, f"{QUEUE}?flagged=true")) == ["New flagged?"]
    assert len(rows(html(editor_client, QUEUE))) == 7
    flagged_page = html(editor_client, f"{QUEUE}?status=new")
    assert "chest pain" in flagged_page


def test_flagged_first_then_oldest_or_newest(editor_client, make_question):
    make_question("Oldest?", created_at=ago(days=9))
    make_question("Middle?", created_at=ago(days=5))
    make_question("Newest?", created_at=ago(days=1))
    make_question("Flagged old?", flagged=True, created_at=ago(days=7))
    make_question("Flagged new?", flagged=True, created_at=ago(days=2))
    oldest_first = ["Flagged old?", "Flagged new?", "Oldest?", "Middle?", "Newest?"]
    assert rows(html(editor_client, f"{QUEUE}?status=new")) == oldest_first
    newest_first = ["Flagged new?", "Flagged old?", "Newest?", "Middle?", "Oldest?"]
    assert rows(html(editor_client, f"{QUEUE}?status=new&ordering=-created_at")) == newest_first


def test_search_looks_at_question_and_details_never_the_email(editor_client, make_question):
    make_question("Why do legs cramp?", email="needle-reader@example.org", confirmed=True)
    make_question("Is coffee bad?", details="My calves cramp after running.")
    make_question("Other thing?")
    assert rows(html(editor_client, f"{QUEUE}?q=cramp")) == [
        "Why do legs cramp?",
        "Is coffee bad?",
    ]
    assert rows(html(editor_client, f"{QUEUE}?q=coffee")) == ["Is coffee bad?"]
    for q in ("needle-reader", "example.org", "needle-reader@example.org"):
        assert rows(html(editor_client, f"{QUEUE}?q={q}")) == [], q


def test_hostile_text_is_shown_escaped_in_the_list_and_on_the_page(editor_client, make_question):
    question = make_question(HOSTILE, details=HOSTILE, red_flags="<b>x</b>", flagged=True)
    for page in (html(editor_client, QUEUE), html(editor_client, f"{QUEUE}{question.pk}/")):
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>x</b>" not in page
        assert "&lt;script&gt;alert(" in page


def test_the_question_page_shows_whether_the_asker_can_be_told_never_the_address(
    editor_client, make_question
):
    confirmed = make_question("A?", email="ana@example.org", confirmed=True, details="Since May.")
    unconfirmed = make_question("B?", email="bo@example.org")
    nobody = make_question("C?")
    page = html(editor_client, f"{QUEUE}{confirmed.pk}/")
    assert "Confirmed: the asker will be told" in page and "Since May." in page
    assert "ana@" not in page and "example.org" not in page
    page = html(editor_client, f"{QUEUE}{unconfirmed.pk}/")
    assert "Given but not confirmed" in page and "bo@" not in page
    assert "None: the asker will not be told" in html(editor_client, f"{QUEUE}{nobody.pk}/")
    assert "example.org" not in html(editor_client, QUEUE)


# Decline ----------------------------------------------------------------------------------------


def test_decline_tells_a_confirmed_asker_the_reason_once(
    editor_client, make_question, reason, question_editor, committed
):
    question = make_question("Should I stop my pills?", email="ana@example.org", confirmed=True)
    url = f"{QUEUE}{question.pk}/"
    with committed():
        response = editor_client.post(url, {"action": "decline", "decline-reason": reason.pk})
    assert (response.status_code, response["Location"]) == (302, f"{QUEUE}?status=new")
    question.refresh_from_db()
    assert question.status == Status.DECLINED and question.decline_reason == reason
    assert question.decided_by == question_editor and question.decided_at is not None
    assert question.closed_at is not None and question.notified_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert reason.text in message.body and question.created_at.strftime("%B %Y") in message.body
    assert "pills" not in message.body  # not the question's words: a lock screen shows emails
    assert "<" not in message.body  # plain text, nothing escaped or marked up

    # Deciding again changes nothing and mails nobody; so does the task running again.
    with committed():
        again = editor_client.post(url, {"action": "decline", "decline-reason": reason.pk})
        assert again.status_code == 302
        with pytest.raises(TriageError):
            triage.decline(question, reason)
        tasks.tell_askers.enqueue([question.pk])
    assert len(mail.outbox) == 1
    page = html(editor_client, url)
    assert "Declined" in page and question_editor.username in page


def test_decline_sends_nothing_to_an_unconfirmed_or_absent_email(
    make_question, reason, question_editor, committed
):
    unconfirmed = make_question("A?", email="bo@example.org")
    nobody = make_question("B?")
    with committed():
        triage.decline(unconfirmed, reason, by=question_editor)
        triage.decline(nobody, reason, by=question_editor)
    assert mail.outbox == []
    assert Question.objects.filter(notified_at__isnull=False).count() == 0


def test_decline_needs_a_reason(editor_client, make_question):
    question = make_question()
    response = editor_client.post(f"{QUEUE}{question.pk}/", {"action": "decline"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    question.refresh_from_db()
    assert question.status == Status.NEW


# Duplicate --------------------------------------------------------------------------------------


def test_duplicate_sends_the_article_link(
    editor_client, make_question, make_article, committed, settings
):
    article = make_article("Why do my legs cramp at night?")
    question = make_question("Why do legs cramp?", email="ana@example.org", confirmed=True)
    with committed():
        response = editor_client.post(
            f"{QUEUE}{question.pk}/", {"action": "duplicate", "duplicate-article": article.pk}
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.DUPLICATE and question.article_id == article.pk
    assert question.closed_at is not None
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert article.title in message.body and "Why do legs cramp?" not in message.body
    assert article.get_full_url() in message.body and article.get_full_url().startswith("http")


def test_duplicate_of_an_unpublished_article_is_refused(editor_client, make_question, make_article):
    draft = make_article("A draft?", publish=False)
    question = make_question(email="ana@example.org", confirmed=True)
    response = editor_client.post(
        f"{QUEUE}{question.pk}/", {"action": "duplicate", "duplicate-article": draft.pk}
    )
    assert (
        response.status_code == 400 and "Choose a published article." in response.content.decode()
    )
    question.refresh_from_db()
    assert question.status == Status.NEW and mail.outbox == []


# Merge ------------------------------------------------------------------------------------------


def test_merged_questions_leave_the_queue_and_follow_a_duplicate(
    editor_client, make_question, make_article, committed
):
    main = make_question("Why do legs cramp?", email="a@example.org", confirmed=True)
    same = make_question("Leg cramps at night?", email="b@example.org", confirmed=True)
    quiet = make_question("Night cramps?", email="c@example.org")  # not confirmed
    other = make_question("Is coffee bad?")
    url = f"{QUEUE}{main.pk}/"
    page = html(editor_client, url)
    assert "Leg cramps at night?" in page and "Is coffee bad?" in page
    response = editor_client.post(url, {"action": "merge", "merge-questions": [same.pk, quiet.pk]})
    assert (response.status_code, response["Location"]) == (302, url)
    for q in (same, quiet):
        q.refresh_from_db()
        assert q.status == Status.MERGED and q.merged_into_id == main.pk
        assert q.closed_at is not None
    assert rows(html(editor_client, f"{QUEUE}?status=new")) == [
        "Why do legs cramp?",
        "Is coffee bad?",
    ]
    assert "Night cramps?" in html(editor_client, url)  # listed as merged on the main page

    article = make_article("Why do my legs cramp at night?")
    with committed():
        triage.mark_duplicate(main, article)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(article.title in m.body for m in mail.outbox)
    for q in (same, quiet):
        q.refresh_from_db()
        assert q.article_id == article.pk
    other.refresh_from_db()
    assert other.status == Status.NEW and other.article is None


def test_merged_questions_are_told_when_the_main_one_is_declined(make_question, reason, committed):
    main = make_question("A?")
    same = make_question("A again?", email="b@example.org", confirmed=True)
    main.merge([same])
    with committed():
        triage.decline(main, reason)
    (message,) = mail.outbox
    assert message.to == ["b@example.org"] and reason.text in message.body
    with committed():
        tasks.tell_askers.enqueue([same.pk])
    assert len(mail.outbox) == 1


def test_merging_a_question_brings_the_ones_merged_into_it(make_question):
    main, middle, inner = make_question("A?"), make_question("B?"), make_question("C?")
    middle.merge([inner])
    main.merge([middle])
    inner.refresh_from_db()
    assert inner.merged_into_id == main.pk
    assert set(main.family().values_list("pk", flat=True)) == {main.pk, middle.pk, inner.pk}


def test_only_new_questions_can_be_merged(make_question):
    main = make_question("A?")
    declined = make_question("B?", status=Status.DECLINED)
    with pytest.raises(TriageError):
        main.merge([declined])
    with pytest.raises(TriageError):
        main.merge([main])
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED


def test_a_closed_question_offers_no_decisions(editor_client, make_question, reason):
    question = make_question(status=Status.DECLINED)
    page = html(editor_client, f"{QUEUE}{question.pk}/")
    assert 'name="action"' not in page
    response = editor_client.post(
        f"{QUEUE}{question.pk}/", {"action": "decline", "decline-reason": reason.pk}, follow=True
    )
    assert "That decision is not open for this question." in response.content.decode()


def test_red_flags_and_decline_reasons_are_editable_snippets(editor_client):
    for model in ("redflagterm", "declinereason"):
        assert html(editor_client, f"/admin/snippets/questions/{model}/")
    page = html(editor_client, "/admin/snippets/questions/declinereason/")
    assert "Personal advice" in page
