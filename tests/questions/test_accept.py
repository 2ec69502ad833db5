"""Accepting a question (issue 16, point 5): `triage.accept(question, topic, expert)` is the one
way a question becomes work. It makes a draft article under the topic with the question as its
title, links it to the question and the merged ones, and emails the expert a link to the draft,
which then goes through the Medical review workflow like every article."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from healthpress.articles.models import ArticlePage
from healthpress.core.site import get_or_create_topic
from healthpress.people.models import Person
from healthpress.questions import triage
from healthpress.questions.models import Question, Status, TriageError
from tests.articles.test_review_workflow import edit_data

pytestmark = pytest.mark.django_db

QUEUE = "/admin/questions/"


@pytest.fixture
def editor_client(client, question_editor):
    client.force_login(question_editor)
    return client


def accept_form(topic, expert):
    return {"action": "accept", "accept-topic": topic.pk, "accept-expert": expert.pk}


def test_accept_makes_a_draft_under_the_topic_and_emails_the_expert_over_smtp(
    editor_client, make_question, topic, expert, question_editor, committed, smtp_server
):
    other_topic = get_or_create_topic("Heart and blood")[0]
    question = make_question(
        "Can stretching stop night cramps?", details="Private details.", topic=other_topic
    )
    page = editor_client.get(f"{QUEUE}{question.pk}/").content.decode()
    assert "Dana Okafor" in page  # offered as an expert
    with committed():
        response = editor_client.post(f"{QUEUE}{question.pk}/", accept_form(topic, expert))
    assert (response.status_code, response["Location"]) == (302, f"{QUEUE}?status=new")

    question.refresh_from_db()
    draft = question.article.specific
    assert isinstance(draft, ArticlePage)
    assert draft.title == "Can stretching stop night cramps?"
    assert draft.get_parent().specific == topic  # the editor's topic, not the asker's
    assert not draft.live and draft.has_unpublished_changes and draft.get_latest_revision()
    assert draft.author == expert and draft.owner == expert.user
    assert "Private details." not in str(draft.get_latest_revision().content)
    assert question.status == Status.ACCEPTED
    assert question.decided_by == question_editor and question.decided_at is not None
    assert question.closed_at is None  # still open: waiting for its answer

    (message,) = smtp_server.messages
    assert message["X-Envelope-To"] == "dana@health.example"
    body = message.get_content()
    assert f"http://testserver/admin/pages/{draft.pk}/edit/" in body
    assert "Can stretching stop night cramps?" in body and "Private details." not in body
    assert "from a reader" in body

    listing = editor_client.get(f"{QUEUE}?status=accepted").content.decode()
    assert "Can stretching stop night cramps?" in listing


def test_merged_questions_link_to_the_same_draft(make_question, topic, expert, committed):
    main = make_question("Why do legs cramp?")
    same = make_question("Leg cramps at night?")
    main.merge([same])
    with committed():
        draft = triage.accept(main, topic, expert)
    same.refresh_from_db()
    assert same.status == Status.MERGED and same.article_id == draft.pk
    assert "from 2 readers" in mail.outbox[0].body

    # A question merged into an accepted one links to its draft at once.
    late = make_question("Cramps when sleeping?")
    main.merge([late])
    late.refresh_from_db()
    assert (late.status, late.merged_into_id, late.article_id) == (Status.MERGED, main.pk, draft.pk)
    assert set(draft.readers_questions.values_list("pk", flat=True)) == {main.pk, same.pk, late.pk}


def test_accept_happens_once(make_question, topic, expert, committed):
    question = make_question("Why do legs cramp?")
    with committed():
        triage.accept(question, topic, expert)
        with pytest.raises(TriageError, match="already"):
            triage.accept(Question.objects.get(pk=question.pk), topic, expert)
    assert ArticlePage.objects.count() == 1 and len(mail.outbox) == 1


def test_accept_refuses_a_question_an_article_already_asks(
    editor_client, make_question, make_article, topic, expert
):
    make_article("Why do my legs cramp at night?")
    question = make_question("why do my legs cramp at night")
    response = editor_client.post(f"{QUEUE}{question.pk}/", accept_form(topic, expert), follow=True)
    assert "mark the question as a duplicate" in response.content.decode()
    question.refresh_from_db()
    assert question.status == Status.NEW and ArticlePage.objects.count() == 1
    assert mail.outbox == []


def test_only_people_with_an_active_admin_account_can_be_the_expert(
    editor_client, make_question, topic, expert, django_user_model
):
    no_account = Person.objects.create(name="Nadia Account")
    gone = Person.objects.create(
        name="Gone Person",
        user=django_user_model.objects.create_user("gone", "g@x.example", is_active=False),
    )
    question = make_question()
    page = editor_client.get(f"{QUEUE}{question.pk}/").content.decode()
    assert "Dana Okafor" in page and "Nadia Account" not in page and "Gone Person" not in page
    for person in (no_account, gone):
        response = editor_client.post(f"{QUEUE}{question.pk}/", accept_form(topic, person))
        assert response.status_code == 400
        with pytest.raises(TriageError):
            triage.accept(question, topic, person)
    question.refresh_from_db()
    assert question.status == Status.NEW and not ArticlePage.objects.exists()


def test_the_editor_is_warned_when_the_expert_cannot_edit_the_draft(
    editor_client, make_question, topic, expert
):
    expert.user.groups.clear()
    question = make_question()
    response = editor_client.post(f"{QUEUE}{question.pk}/", accept_form(topic, expert), follow=True)
    assert "cannot edit the draft yet" in response.content.decode()


def test_the_draft_goes_through_medical_review_like_every_article(
    make_question, topic, expert, client, django_user_model, committed
):
    question = make_question("Can stretching stop night cramps?")
    with committed():
        draft = triage.accept(question, topic, expert)

    # The expert writes the answer and submits it for review.
    writer = client
    writer.force_login(expert.user)
    edit = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert writer.get(edit).status_code == 200
    data = edit_data(draft, short_answer="Regular calf stretches help many people.")
    data["author"] = expert.pk
    with committed():
        assert writer.post(edit, {**data, "action-submit": "submit"}).status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # A medical reviewer approves: the article is published.
    reviewer = django_user_model.objects.create_user("rev", "rev@health.example", "pw-rev")
    reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
    Person.objects.create(name="Kofi Mensah", credentials="MBBS", user=reviewer)
    state = TaskState.objects.get(workflow_state__object_id=str(draft.pk), status="in_progress")
    approve = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", state.pk])
    reviewer_client = type(client)()
    reviewer_client.force_login(reviewer)
    with committed():
        assert reviewer_client.post(approve, {"comment": ""}).status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live and draft.title == "Can stretching stop night cramps?"
    assert draft.short_answer == "Regular calf stretches help many people."
    question.refresh_from_db()
    assert question.status == Status.ANSWERED  # answers.py takes it from here
