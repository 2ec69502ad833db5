"""/embed/<id>/: the short answer and care cards a partner frames; framable only by the origins
API_EMBED_FRAME_ANCESTORS names; cached and purged like a page."""

import pytest

from healthpress.articles.content import ArticleContent, save_article

pytestmark = pytest.mark.django_db


def test_embed_shows_answer_care_cards_review_disclaimer_attribution(client, full_article):
    response = client.get(f"/embed/{full_article.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mostly tired muscles." in html
    assert "When to see a doctor" in html and "If cramps last weeks." in html
    assert "Immediate action required" in html and "One calf is swollen and hot." in html
    assert "Medically reviewed by Kofi Mensah, MBBS, MRCGP" in html
    assert 'datetime="2028-01-10"' in html  # next review
    assert "Medical disclaimer" in html
    assert "Written by Dana Okafor, MD" in html  # the attribution
    assert f'href="http://localhost{full_article.url}"' in html  # the link back
    # Only the short answer and the care cards: not the sections.
    assert "Tired muscles cramp" not in html
    assert "<script" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_embed_is_not_framable_by_default(client, make_article):
    page = make_article()
    response = client.get(f"/embed/{page.pk}/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_embed_is_framable_by_the_allowed_origins_only(client, make_article, settings):
    settings.API_EMBED_FRAME_ANCESTORS = ["https://clinic.example", "https://app.example"]
    page = make_article()
    response = client.get(f"/embed/{page.pk}/")
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https://clinic.example https://app.example" in policy
    assert "script-src 'self'" in policy  # the rest of the site's policy stays
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    # Only this path: the article page itself keeps the site-wide refusal.
    article = client.get(page.url)
    assert article["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in article["Content-Security-Policy"]


def test_embed_of_a_draft_or_unknown_article_is_404(client, make_article):
    page = make_article(publish=False)
    assert client.get(f"/embed/{page.pk}/").status_code == 404
    assert client.get("/embed/987654/").status_code == 404
    assert client.get("/embed/99999999999999999999999/").status_code == 404


def test_embed_of_a_withdrawn_article_says_so_with_410(client, make_article, committed):
    page = make_article()
    with committed():
        page.unpublish()
    response = client.get(f"/embed/{page.pk}/")
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert "Mostly tired muscles." not in response.content.decode()


def test_embed_is_cached_and_purged_after_an_edit(
    client, make_article, topic, page_cache_on, committed
):
    page = make_article(short_answer="Old answer.")
    url = f"/embed/{page.pk}/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    with committed():
        save_article(ArticleContent(page.title, "New answer."), topic=topic, publish=True)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "New answer." in response.content.decode()


def test_embed_answers_get_and_head_only(client, make_article):
    page = make_article()
    assert client.head(f"/embed/{page.pk}/").status_code == 200
    assert client.post(f"/embed/{page.pk}/").status_code == 405


def test_embed_pages_are_valid_html(client, full_article, make_article, committed, tmp_path):
    from tests.html_check import assert_valid_html

    gone = make_article("Why do my knees click?")
    with committed():
        gone.unpublish()
    assert_valid_html(
        {
            "embed": client.get(f"/embed/{full_article.pk}/"),
            "withdrawn": client.get(f"/embed/{gone.pk}/"),
        },
        tmp_path,
    )
