"""Helpers for comment tests: a valid form submission, moderators, approved comments."""

import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from healthpress.comments import history
from healthpress.comments.models import Comment, Status
from healthpress.core.fill_token import fill_token


def changes(comment=None):
    """The moderation history Wagtail's log holds (comments/history.py), oldest first: one
    comment's, or every comment's."""
    if comment is not None:
        return history.entries_for(comment)
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), action__startswith="comments."
    ).order_by("timestamp", "pk")
    return [SimpleNamespace(user=e.user, comment_id=int(e.object_id), **e.data) for e in entries]


def form_data(article, **fields):
    """What a browser sends after a person spent a minute on the form."""
    data = {
        "page": str(article.pk),
        "name": "Ana Reader",
        "email": "",
        "comment": "Stretching before bed helps me.",
        "website": "",
        "started": fill_token(article.pk, time.time() - 60),
    }
    data.update(fields)
    return data


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def post(client):
    def send(article, headers=None, **fields):
        return client.post("/comments/post/", form_data(article, **fields), **(headers or {}))

    return send


@pytest.fixture
def moderator(django_user_model):
    """A moderator who may not see who wrote: a group with everything "Comment moderators"
    carries except `comments.view_commenter_details`, as docs/comments.md tells an administrator
    to make one."""
    user = django_user_model.objects.create_user(
        "mod", "mod@health.example", "pw-for-tests-only", first_name="Mo"
    )
    group = Group.objects.create(name="Moderators without details")
    carried = Group.objects.get(name="Comment moderators").permissions
    group.permissions.set(carried.exclude(codename="view_commenter_details"))
    user.groups.add(group)
    return user


@pytest.fixture
def approved(article):
    def make(body="Helpful article.", parent=None, name="Reader", **extra):
        return Comment.objects.create(
            article=article, parent=parent, name=name, body=body, status=Status.APPROVED, **extra
        )

    return make


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and the digest window live in the cache: start every test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
