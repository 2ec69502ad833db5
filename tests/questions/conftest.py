"""Shared fixtures for readers' questions (asking, triage, answered notices)."""

import time

import pytest

from healthpress.core.fill_token import fill_token


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: start every test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def ask_data(**fields):
    """What a browser sends from /ask/ after a person spent a minute on the form (step 1,
    "Continue"); pass action="ask" or action="found" for the buttons of step 2."""
    data = {
        "question": "Why do my legs cramp at night?",
        "details": "",
        "topic": "",
        "email": "",
        "consent": "1",
        "website": "",
        "started": fill_token("ask", time.time() - 60),
        "action": "check",
    }
    data.update(fields)
    return data


@pytest.fixture
def ask(client):
    """POST the /ask/ form: ask(action="ask", question="...") -> the response."""

    def send(headers=None, **fields):
        return client.post("/ask/", ask_data(**fields), **(headers or {}))

    return send


@pytest.fixture
def make_question(db):
    """A question stored as triage would leave it, without going through /ask/:
    make_question("Text?", status=Status.ACCEPTED, article=draft, email="a@example.org",
    confirmed=True)."""
    from django.utils import timezone

    from healthpress.questions.models import CONSENT_WORDING_VERSION, Question

    def make(question="Why do my legs cramp at night?", confirmed=False, **fields):
        if confirmed:
            fields.setdefault("email_confirmed_at", timezone.now())
        fields.setdefault("consent_version", CONSENT_WORDING_VERSION)
        return Question.objects.create(question=question, **fields)

    return make


@pytest.fixture
def question_editor(django_user_model):
    """A member of the "Question editors" group (migration 0002), and nothing else."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("qed", "qed@health.example", "pw-qed")
    user.groups.add(Group.objects.get(name="Question editors"))
    return user


@pytest.fixture
def expert(author, django_user_model):
    """The conftest author, with an admin account in Wagtail's "Editors" group: someone a
    question can be given to, who can write and submit the draft."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("expert", "dana@health.example", "pw-expert")
    user.groups.add(Group.objects.get(name="Editors"))
    author.user = user
    author.save(update_fields=["user"])
    return author
