"""The demo shows every flow: comments to moderate, a reply, an article in review, a draft, an
overdue review, subscribers and reader questions; made once, and never mailed to anyone."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django_tasks.signals import task_enqueued
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_submitted
from wagtail.users.models import UserProfile

from healthpress.articles.content import find_article
from healthpress.articles.models import ArticlePage
from healthpress.articles.review import REVIEWER_GROUP, review_status, reviews_due
from healthpress.comments.models import Comment, Status
from healthpress.demo import activity, loader
from healthpress.demo.models import DemoItem
from healthpress.newsletter.models import Subscriber
from healthpress.people.models import Person
from healthpress.questions import editors
from healthpress.questions.models import Question
from healthpress.questions.models import Status as QuestionStatus

pytestmark = pytest.mark.django_db
User = get_user_model()

IN_REVIEW = "Is it safe to exercise with a cold?"
DRAFT = "Why do my fingers turn white in the cold?"
OVERDUE = "Why do I feel bloated after meals?"
# What each kind of demo row is counted by, to compare two runs.
COUNTED = (ArticlePage, Comment, Subscriber, Question, WorkflowState, DemoItem, User, Person)


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path


def load_demo():
    out = StringIO()
    call_command("load_demo", "--no-admin", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def demo_comments():
    return Comment.objects.filter(article=find_article(activity.COMMENTED_ARTICLE))


def test_every_flow_has_its_demo_item_in_the_right_state():
    output = load_demo()

    assert "Demo activity: 12 created, 0 unchanged" in output
    comments = demo_comments()
    pending = comments.filter(status=Status.PENDING)
    assert pending.count() == 2
    held = pending.exclude(reason="").get()
    assert held.reason == "contains 3 links"
    [reply] = comments.filter(status=Status.APPROVED, parent__isnull=False)
    assert reply.parent.status == Status.APPROVED
    assert set(Comment.objects.visible()) == {reply, reply.parent}
    for comment in comments:
        assert "demo" in comment.body.lower() and comment.email.endswith("@example.org")
        assert not comment.notify

    in_review = find_article(IN_REVIEW)
    assert not in_review.live
    state = in_review.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Medical review"
    draft = find_article(DRAFT)
    assert not draft.live and draft.current_workflow_state is None
    assert (
        draft.author.name == "Tomás Reyes" and draft.get_parent().title == "Heart and circulation"
    )
    overdue = find_article(OVERDUE)
    assert overdue.live and review_status(overdue) == "overdue"
    assert overdue in reviews_due()

    confirmed = Subscriber.objects.get(status=Subscriber.Status.CONFIRMED)
    pending_subscriber = Subscriber.objects.get(status=Subscriber.Status.PENDING)
    assert confirmed.email.endswith("@example.org") and confirmed.confirmed_at
    assert pending_subscriber.email.endswith("@example.org")
    assert not Subscriber.objects.receiving().exists()  # no edition will ever go to a demo row

    questions = Question.objects.all()
    assert questions.count() == 2
    urgent = questions.get(flagged=True)
    assert urgent.red_flags == "chest pain"
    assert not questions.exclude(email="").exists()


def test_unpublished_demo_articles_stay_out_of_readers_sight(client):
    load_demo()
    for question in (IN_REVIEW, DRAFT):
        page = find_article(question)
        assert client.get(page.get_url() or f"/{page.slug}/").status_code == 404
    topic = find_article(DRAFT).get_parent()
    assert DRAFT not in client.get(topic.url).content.decode()


def test_loading_twice_makes_the_demo_activity_once():
    load_demo()
    first = counts()

    output = load_demo()

    assert counts() == first
    assert "Demo activity: 0 created, 12 unchanged" in output


def test_nothing_is_mailed_or_queued_to_be_mailed(django_user_model, committed, monkeypatch):
    # People who would hear of a comment or a question if anything told them: a moderator, and
    # the demo's own admin, given an address, who would hear of the workflow submission but for
    # its notification settings (a person's own reviewer account hears of it: the next test).
    admin = django_user_model.objects.get(username=loader.ensure_admin().username)
    admin.email = "admin@health.example"
    admin.save(update_fields=["email"])
    mod = django_user_model.objects.create_user("mod", "mod@health.example", "x")
    mod.groups.add(Group.objects.get(name="Comment moderators"))
    # The published articles first, without the activity: publishing queues work of its own
    # (newsletter runs, reference checks) that is not the demo activity's doing.
    with monkeypatch.context() as patch, committed():
        patch.setattr(activity, "load_activity", lambda *args: None)
        load_demo()
    mail.outbox.clear()
    queued = []

    def record(sender, task_result, **kwargs):
        queued.append(task_result.task.module_path)

    task_enqueued.connect(record)
    try:
        with committed():  # tasks run at once in the tests (django-tasks' immediate backend)
            output = load_demo()
    finally:
        task_enqueued.disconnect(record)

    assert "Demo activity: 12 created" in output
    # Only the search and reference indexes catch up with the two new draft articles.
    assert {path.split(".")[0] for path in queued} <= {"modelsearch", "wagtail"}, queued
    assert mail.outbox == []


def test_the_demo_accounts_ask_for_no_workflow_mail_and_wagtails_notifiers_stay_on(
    django_user_model, committed
):
    """Quiet through each demo account's own notification settings, not by switching Wagtail's
    notifiers off: once the demo is loaded, a submission still mails a reviewer who asked to hear
    of it, and none of the demo's accounts, even given an address and a reviewer's group."""
    loader.ensure_admin()
    load_demo()
    demo_accounts = list(User.objects.filter(username="admin")) + [
        person.user for person in Person.objects.exclude(user=None)
    ]
    assert len(demo_accounts) == 1 + Person.objects.count()  # the admin and every expert
    for account in demo_accounts:
        profile = UserProfile.get_for_user(account)
        assert not any(getattr(profile, name) for name in activity.NOTIFICATIONS), account
    assert workflow_submitted.has_listeners(WorkflowState)
    assert task_submitted.has_listeners(TaskState)

    reviewers = Group.objects.get(name=REVIEWER_GROUP)
    for account in demo_accounts:
        account.email = account.email or f"{account.username}@health.example"
        account.save(update_fields=["email"])
        account.groups.add(reviewers)
    rev = django_user_model.objects.create_user("rev", "rev@health.example", "x")
    rev.groups.add(reviewers)
    draft = find_article(DRAFT)
    mail.outbox.clear()
    with committed():
        draft.get_workflow().start(draft, None)
    assert [message.to for message in mail.outbox] == [["rev@health.example"]]


def test_a_decided_or_deleted_demo_item_is_not_made_again():
    load_demo()
    pending = demo_comments().filter(status=Status.PENDING)
    pending.get(reason="").approve()
    pending.get().remove()  # the held one, deleted
    Question.objects.filter(flagged=True).delete()
    before = counts()

    load_demo()

    assert counts() == before
    assert demo_comments().filter(status=Status.PENDING).count() == 0
    assert not Question.objects.filter(flagged=True).exists()


def test_a_broken_draft_file_stops_the_load_before_anything_is_saved(tmp_path, monkeypatch):
    (tmp_path / "drafts").mkdir()
    for draft in (
        "is-it-safe-to-exercise-with-a-cold.txt",
        "why-do-my-fingers-turn-white-in-the-cold.txt",
    ):
        (tmp_path / "drafts" / draft).write_text("1. A heading where the question should be\n")
    monkeypatch.setattr(activity, "DRAFTS_DIR", tmp_path / "drafts")

    with pytest.raises(Exception, match="exercise-with-a-cold"):
        load_demo()

    assert not ArticlePage.objects.exists()


def test_the_experts_have_accounts_nobody_signs_in_with_and_accept_offers_them(client, committed):
    load_demo()
    people = Person.objects.order_by("slug")
    assert list(editors.experts().order_by("slug")) == list(people)
    for person in people:
        account = person.user
        assert account.email == f"{person.slug}.demo@example.org"
        assert not account.has_usable_password()
        assert not (account.is_superuser or account.is_staff)
        assert list(account.groups.values_list("name", flat=True)) == ["Editors"]
    # A question editor accepts the demo's routine question and gives it to an expert.
    client.force_login(User.objects.create_superuser("boss", "boss@health.example", "x"))
    question = Question.objects.get(flagged=False)
    triage_page = client.get(f"/admin/questions/{question.pk}/").content.decode()
    assert all(person.name in triage_page for person in people)
    expert = people.get(slug="amara-lindqvist")
    with committed():
        response = client.post(
            f"/admin/questions/{question.pk}/",
            {"action": "accept", "accept-topic": question.topic_id, "accept-expert": expert.pk},
            follow=True,
        )
    said = [str(message) for message in response.context["messages"]]
    assert any(text.startswith("Accepted") for text in said), said
    assert not any("cannot edit the draft" in text for text in said), said  # they can write it
    question.refresh_from_db()
    assert question.status == QuestionStatus.ACCEPTED and question.article.author == expert
    assert [message.to for message in mail.outbox] == [["amara-lindqvist.demo@example.org"]]


def test_an_expert_who_has_an_account_keeps_it(django_user_model):
    data = loader.read_site_data()
    own = django_user_model.objects.create_user("amara", "amara@health.example", "pw")
    Person.objects.create(**{**data["people"][0], "user": own})

    load_demo()

    assert Person.objects.get(slug=data["people"][0]["slug"]).user == own
    assert not User.objects.filter(username__startswith=data["people"][0]["slug"]).exists()
    assert User.objects.filter(email__endswith=".demo@example.org").count() == 2
