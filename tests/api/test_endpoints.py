"""Every endpoint of /api/v1/ answers what the OpenAPI document promises, for live public
articles only."""

import json
from datetime import date

import pytest
from django.utils import timezone

from healthpress.api.blocks import ALLOWED_TAGS
from healthpress.core.site import get_or_create_topic
from tests.articles.helpers import json_ld

pytestmark = pytest.mark.django_db


def get(api, url, status=200, **extra):
    response = api.get(url, **extra)
    assert response.status_code == status, response.content
    return response.json()


def test_article_has_every_field_a_partner_needs(api, full_article, reviewer_person, client):
    data = get(api, f"/api/v1/articles/{full_article.pk}")
    assert data["id"] == full_article.pk
    assert data["question"] == "Why do my legs cramp at night?"
    assert data["short_answer"] == "Mostly tired muscles."
    assert data["condition"] == "Muscle cramp"
    page_url = "http://localhost" + full_article.url
    assert data["url"] == data["canonical_url"] == page_url
    assert data["embed_url"] == f"http://localhost/embed/{full_article.pk}/"
    assert data["api_url"] == f"http://localhost/api/v1/articles/{full_article.pk}"
    assert data["topic"]["slug"] == "muscles-bones-and-joints"
    assert data["tags"] == ["muscles", "sleep"]
    assert data["author"]["display_name"] == "Dana Okafor, MD"
    assert data["author"]["url"] == "http://localhost/authors/dana-okafor/"
    assert data["reviewer"]["credentials"] == "MBBS, MRCGP"
    assert data["dates"]["last_reviewed"] == "2026-01-10"
    assert data["dates"]["next_review"] == "2028-01-10"
    assert data["dates"]["published"].startswith(str(full_article.first_published_at.year))
    assert data["references"] == [
        {
            "number": 1,
            "title": "Leg cramps",
            "authors": "Okafor D, Reyes T",
            "publisher": "Journal of Everyday Medicine",
            "year": 2024,
            "url": "https://example.org/cramps",
            "accessed": "2026-10-01",
        }
    ]
    assert "not a substitute" in data["disclaimer"]
    licence = data["licence"]
    assert licence["refresh_days"] == 7
    assert "Dana Okafor, MD" in licence["attribution"]
    assert "Kofi Mensah, MBBS, MRCGP" in licence["attribution"]
    assert page_url in licence["attribution"]
    # The page's own JSON-LD, from the same code.
    page_json_ld = json_ld(client.get(full_article.url).content.decode())
    assert data["json_ld"] == page_json_ld


def test_each_block_keeps_its_type_fields_text_and_sanitised_html(api, full_article):
    blocks = get(api, f"/api/v1/articles/{full_article.pk}")["body"]
    assert [b["type"] for b in blocks] == [
        "section",
        "prevention",
        "see_doctor",
        "urgent",
        "first_aid",
        "paragraph",
    ]
    section, prevention, doctor, urgent, first_aid, paragraph = blocks
    assert section["number"] == 1 and prevention["number"] is None
    assert section["fields"]["heading"] == "Muscle fatigue"
    assert section["fields"]["explanation"] == {
        "text": "Tired muscles cramp [1].",
        "html": "<p>Tired muscles cramp [1].</p>",
    }
    assert section["text"] == "Muscle fatigue\nTired muscles cramp [1].\nStretch before bed."
    assert section["html"] == (
        "<h2>Muscle fatigue</h2><p>Tired muscles cramp [1].</p><p>Stretch before bed.</p>"
    )
    assert doctor["fields"]["text"]["text"] == "If cramps last weeks."
    assert urgent["fields"]["level"] == "immediate"
    assert first_aid["fields"]["steps"] == ["Straighten your leg.", "Pull your toes up."]
    assert first_aid["html"].endswith(
        "<ol><li>Straighten your leg.</li><li>Pull your toes up.</li></ol>"
    )
    # A link to another page is expanded to its address on the site, made absolute.
    assert paragraph["fields"]["value"]["html"] == (
        '<p>See <a href="http://localhost/muscles-bones-and-joints/why-do-my-ankles-swell/">'
        "the other answer</a>.</p>"
    )
    assert paragraph["text"] == "See the other answer."


def test_article_html_keeps_only_allowed_tags(api, make_article):
    nasty = (
        '<p onclick="x()" class="c">Hi <script>alert(1)</script>'
        '<a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)></p>'
    )
    page = make_article(sections=0, more_blocks=[{"type": "paragraph", "value": nasty}])
    html = get(api, f"/api/v1/articles/{page.pk}")["body"][0]["html"]
    assert "script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript" not in html and "class=" not in html
    import re

    assert set(re.findall(r"<(\w+)", html)) <= ALLOWED_TAGS


def test_unknown_article_is_404_and_bad_id_is_422(api):
    assert api.get("/api/v1/articles/987654").status_code == 404
    assert api.get("/api/v1/articles/0").status_code == 422
    assert api.get("/api/v1/articles/99999999999999999999").status_code == 422
    assert api.get("/api/v1/articles/abc").status_code == 422


def summaries(api, query=""):
    return get(api, f"/api/v1/articles{query}")


def test_lists_by_topic_letter_and_change_date(api, make_article, committed):
    cramp = make_article("Why do my legs cramp at night?", condition="Muscle cramp")
    ankle = make_article("Why do my ankles swell?")
    other_topic, _ = get_or_create_topic("Digestion")
    from healthpress.articles.content import save_article
    from tests.conftest import make_article_content

    bloat, _ = save_article(
        make_article_content("Why do I feel bloated?"), topic=other_topic, publish=True
    )
    everything = summaries(api)
    # A–Z by condition, or by question where there is none.
    assert [a["id"] for a in everything["results"]] == [cramp.pk, bloat.pk, ankle.pk]
    assert everything["count"] == 3 and everything["next"] is None
    first = everything["results"][0]
    assert first["topic"] == "muscles-bones-and-joints" and first["condition"] == "Muscle cramp"
    assert first["api_url"] == f"http://localhost/api/v1/articles/{cramp.pk}"
    assert [a["id"] for a in summaries(api, "?letter=M")["results"]] == [cramp.pk]
    assert [a["id"] for a in summaries(api, "?topic=digestion")["results"]] == [bloat.pk]
    assert api.get("/api/v1/articles?topic=nowhere").status_code == 404
    since = timezone.now()
    with committed():
        ankle.save_revision().publish()
    changed = summaries(api, "?modified_since=" + since.isoformat().replace("+", "%2B"))
    assert [a["id"] for a in changed["results"]] == [ankle.pk]


def test_list_pages_link_to_each_other(api, make_article):
    for n in range(3):
        make_article(f"Question number {n}?")
    first = summaries(api, "?per_page=2")
    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["next"] == "http://localhost/api/v1/articles?page=2&per_page=2"
    second = get(api, first["next"].removeprefix("http://localhost"))
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] == "http://localhost/api/v1/articles?page=1&per_page=2"
    assert api.get("/api/v1/articles?page=3&per_page=2").status_code == 404


def test_overdue_list_follows_the_date(api, make_article):
    page = make_article()
    page.next_review_due = date(2000, 1, 1)
    page.save_revision().publish()
    make_article("Why do my ankles swell?")
    assert [a["id"] for a in summaries(api, "?overdue=true")["results"]] == [page.pk]


def test_topics_with_their_article_counts(api, make_article):
    make_article()
    make_article("Why do my ankles swell?", publish=False)
    get_or_create_topic("Digestion")
    topics = get(api, "/api/v1/topics")["results"]
    assert [(t["slug"], t["article_count"]) for t in topics] == [
        ("digestion", 0),
        ("muscles-bones-and-joints", 1),
    ]
    assert topics[1]["articles_url"] == (
        "http://localhost/api/v1/articles?topic=muscles-bones-and-joints"
    )


def test_manifest_pages_through_every_live_article_by_cursor(api, make_article):
    pages = [make_article(f"Question number {n}?") for n in range(5)]
    pages[2].slug = "crampes-nocturnes-été"  # a Unicode slug: quoted as Wagtail quotes it
    pages[2].save_revision().publish()
    pages[2].refresh_from_db()
    make_article("A draft?", publish=False)
    seen, url = [], "/api/v1/manifest?limit=2"
    while url:
        data = get(api, url)
        seen += data["results"]
        url = data["next"] and data["next"].removeprefix("http://localhost")
    assert [entry["id"] for entry in seen] == sorted(page.pk for page in pages)
    assert set(seen[0]) == {"id", "url", "modified", "next_review"}
    # Every address as Wagtail gives it (the manifest builds them without page instances).
    assert [entry["url"] for entry in seen] == [page.get_full_url() for page in pages]


def test_manifest_refuses_pages_over_a_thousand(api):
    assert api.get("/api/v1/manifest?limit=1001").status_code == 422
    assert api.get("/api/v1/manifest?after=-1").status_code == 422


def test_search_uses_the_site_search(api, make_article):
    page = make_article(short_answer="Mostly tired muscles after exercise.")
    make_article("Why do my ankles swell?", short_answer="Fluid collects.")
    data = get(api, "/api/v1/search?q=tired+muscles")
    assert data["query"] == "tired muscles"
    assert [a["id"] for a in data["results"]] == [page.pk]
    assert api.get("/api/v1/search").status_code == 422
    assert api.get("/api/v1/search?q=" + "x" * 201).status_code == 422


def test_answers_are_json(api, make_article):
    page = make_article()
    response = api.get(f"/api/v1/articles/{page.pk}")
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)


def test_an_article_is_built_in_the_same_few_queries_whatever_its_pictures(
    api, make_article, make_image
):
    """Issue 29's uncached budget: the key, the article with its people and lead image (joined),
    its topic, the Site, its tags and the body's images (one query for the StreamField). The
    first reads make the JPEG renditions and the site's review settings (a purge): not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.articles.blocks_data import figure

    counts = []
    for n in (1, 3):
        page = make_article(
            f"Question with {n} pictures?",
            more_blocks=[figure(make_image(f"F{n}.{i}", 500, 300)) for i in range(n)],
            lead_image=make_image(f"L{n}", 600, 400),
            lead_image_alt="A calf",
        )
        url = f"/api/v1/articles/{page.pk}"
        for _ in range(2):  # renditions cached, site-wide values kept, as on a running server
            assert api.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6
