"""The one-query route for topics and articles must answer exactly as Wagtail's own routing."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from healthpress.articles.content import save_article
from healthpress.core.models import EditorialPolicyPage
from healthpress.core.site import get_or_create_topic
from tests.conftest import make_article_content


def wagtail_route(home, components):
    """What Wagtail's Page.route answers, bypassing HomePage's override."""
    try:
        return Page.route(home, RequestFactory().get("/"), components).page
    except Http404:
        return Http404


def our_route(home, components, cookie=""):
    """Anonymous readers' topics come from the kept topic list, editors' from the database."""
    request = RequestFactory().get("/", HTTP_COOKIE=cookie)
    try:
        return home.route(request, components).page
    except Http404:
        return Http404


READER, EDITOR = "", "sessionid=an-editor"


@pytest.fixture
def tree(home, topic, make_article, author):
    def publish_under(parent, question):
        return save_article(
            make_article_content(question), topic=parent, author=author, publish=True
        )[0]

    other = get_or_create_topic("Sleep")[0]
    live = make_article("Why do my legs cramp at night?")
    draft = make_article("Is this a draft?", publish=False)
    # The same slug under two topics: each address must find its own article.
    twin = publish_under(other, "Why do legs cramp at night?")
    twin.slug = live.slug
    twin.save_revision().publish()
    twin.refresh_from_db()
    hidden_topic = get_or_create_topic("Unpublished topic")[0]
    under_hidden = publish_under(hidden_topic, "Under an unpublished topic?")
    hidden_topic.unpublish()
    policy = home.add_child(
        instance=EditorialPolicyPage(title="How we write", slug="policy", body="<p>Carefully.</p>")
    )
    return {
        "topic": topic,
        "other": other,
        "live": live,
        "draft": draft,
        "twin": twin,
        "hidden_topic": hidden_topic,
        "under_hidden": under_hidden,
        "policy": policy,
    }


@pytest.mark.parametrize("cookie", [READER, EDITOR], ids=["reader", "editor"])
def test_every_kind_of_address_routes_as_wagtail_routes_it(home, tree, cookie):
    t = tree
    addresses = [
        [t["topic"].slug],
        [t["topic"].slug, t["live"].slug],
        [t["topic"].slug, t["draft"].slug],
        [t["other"].slug, t["twin"].slug],
        [t["hidden_topic"].slug],
        [t["hidden_topic"].slug, t["under_hidden"].slug],
        [t["policy"].slug],
        [t["policy"].slug, "anything"],
        [t["topic"].slug, "no-such-article"],
        ["no-such-topic"],
        ["no-such-topic", t["live"].slug],
        [t["other"].slug, t["live"].slug + "-x"],
        [t["topic"].slug, t["live"].slug, "deeper"],
        [t["live"].slug],  # an article's slug one level too high
    ]
    home = home.specific
    for components in addresses:
        expected = wagtail_route(home, components)
        assert our_route(home, components, cookie) == expected, components
    # The twins really are different pages, and both resolve.
    assert t["twin"].slug == t["live"].slug and t["twin"].pk != t["live"].pk
    assert our_route(home, [t["other"].slug, t["twin"].slug], cookie) == t["twin"]


@pytest.mark.parametrize("cookie", [READER, EDITOR], ids=["reader", "editor"])
def test_a_routed_article_knows_its_topic_without_another_query(
    home, tree, django_assert_num_queries, cookie
):
    article = our_route(home.specific, [tree["topic"].slug, tree["live"].slug], cookie)
    assert type(article).__name__ == "ArticlePage"
    with django_assert_num_queries(0):
        assert article.topic == tree["topic"]
        assert article.short_answer
        assert article.get_parent() == tree["topic"]
    # Whole rows: no field is left to fetch later, on the article or on its topic.
    assert article.get_deferred_fields() == set()
    assert article.topic.get_deferred_fields() == set()


def test_article_pages_are_served_through_the_short_route(client, tree):
    response = client.get(tree["twin"].url)
    assert response.status_code == 200
    assert response.context["page"] == tree["twin"]
    assert response.context["topic"] == tree["other"]
    draft_address = f"/{tree['topic'].slug}/{tree['draft'].slug}/"
    assert client.get(draft_address).status_code == 404
