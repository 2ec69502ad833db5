"""Fixtures for review and trust tests: admin users in their real Wagtail groups."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from healthpress.people.models import Person


@pytest.fixture
def make_user(db):
    def make(username, *groups, person=None, superuser=False):
        User = get_user_model()
        if superuser:
            user = User.objects.create_superuser(username, password="pw-" + username)
        else:
            user = User.objects.create_user(username, password="pw-" + username)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        return user

    return make


@pytest.fixture
def reviewer_person(db):
    return Person.objects.create(
        name="Kofi Mensah", credentials="MBBS, MRCGP", job_title="General Practitioner"
    )


@pytest.fixture
def writer(make_user, author):
    """The article's author, logged in as an editor (add and change, no publish)."""
    return make_user("writer", "Editors", person=author)


@pytest.fixture
def reviewer(make_user, reviewer_person):
    return make_user("reviewer", "Medical reviewers", person=reviewer_person)
