"""Editors can reach every editing screen the foundation adds."""

import pytest

pytestmark = pytest.mark.django_db


def test_editor_screens_render(admin_client, make_article, topic, author):
    article = make_article()
    urls = [
        f"/admin/pages/add/articles/articlepage/{topic.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{topic.pk}/edit/",
        f"/admin/pages/{topic.get_parent().pk}/edit/",
        "/admin/snippets/people/person/",
        f"/admin/snippets/people/person/edit/{author.pk}/",
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_editor_can_publish_an_article_through_the_admin(admin_client, topic, author):
    data = {
        "title": "Why do my ears pop on planes?",
        "slug": "why-do-my-ears-pop-on-planes",
        "short_answer": "Air pressure changes faster than the ear tube can balance it.",
        "author": author.pk,
        "last_updated": "",
        "body-count": "1",
        "body-0-type": "section",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-heading": "Pressure changes",
        "body-0-value-explanation": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
        '"The middle ear is a closed space.", "depth": 0, "inlineStyleRanges": [], '
        '"entityRanges": []}], "entityMap": {}}',
        "body-0-value-advice": '{"blocks": [], "entityMap": {}}',
        "references-count": "0",
        "condition_name": "",
        "next_review_due": "",
        "tags": "",
        "action-publish": "publish",
    }
    response = admin_client.post(f"/admin/pages/add/articles/articlepage/{topic.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    from healthpress.articles.models import ArticlePage

    page = ArticlePage.objects.get(slug="why-do-my-ears-pop-on-planes")
    assert page.live
    assert page.section_headings() == ["Pressure changes"]
