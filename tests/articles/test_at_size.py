"""The admin at size (issue 27.5): the page explorer of a topic, the admin search, the comments,
questions and subscribers listings, the Reviews due and Article health reports and the dashboard
stay paginated, and each costs the same number of queries for 10 articles as for 200 (with a
comment, a question and a subscriber per article)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from healthpress.articles.models import ArticlePage
from tests.at_size import add_articles, queries

pytestmark = pytest.mark.django_db


def add_rows(topic, start, count):
    """A pending comment, a question and a subscriber for each article numbered from `start`."""
    from healthpress.comments.models import Comment
    from healthpress.newsletter.models import Subscriber
    from healthpress.questions.models import Question

    articles = ArticlePage.objects.order_by("pk")[start : start + count]
    Comment.objects.bulk_create(
        Comment(article=a, name=f"Reader {a.pk}", body="Does it help knees?") for a in articles
    )
    Question.objects.bulk_create(
        Question(question=f"Question {n} about joints?", topic=topic, consent_version="1")
        for n in range(start, start + count)
    )
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org") for n in range(start, start + count)
    )


ADMIN_PAGES = {
    "explorer": lambda topic: reverse("wagtailadmin_explore", args=[topic.pk]),
    "search": lambda topic: reverse("wagtailadmin_pages:search") + "?q=joint",
    "comments": lambda topic: reverse("comments_admin:index"),
    "questions": lambda topic: reverse("questions_admin:index"),
    "subscribers": lambda topic: reverse("wagtailsnippets_newsletter_subscriber:list"),
    "reviews due": lambda topic: reverse("reviews_due"),
    "article health": lambda topic: reverse("article_health"),
    "dashboard": lambda topic: reverse("wagtailadmin_home"),
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_costs_the_same_queries_for_10_and_200_articles(client, topic, author, name):
    client.force_login(get_user_model().objects.create_superuser("chief", password="pw-chief"))
    url = ADMIN_PAGES[name](topic)
    add_articles(topic, 10, author=author)
    add_rows(topic, 0, 10)
    few, _ = queries(client, url)
    add_articles(topic, 190, start=10, author=author)
    add_rows(topic, 10, 190)
    many, response = queries(client, url)
    assert many == few, f"{name}: {few} queries at 10 articles, {many} at 200"
    assert len(response.content) < 2_000_000  # paginated, not every row
