"""Private by design (issue 16, point 4): a reader's question, its details and their email never
show on a public page, in search, in the sitemap or in a feed, whatever became of the question.

The one public trace of an answered question is the article written for it, whose title is the
question as the editor accepted it: that is intended, so each check here uses text that only the
questions hold (details, the wording of questions that were declined, are new, merged or marked
duplicate) and the askers' addresses.
"""

import pytest
from wagtail.search.index import get_indexed_models

from healthpress.questions.models import Question, Status

pytestmark = pytest.mark.django_db

ANSWERED = "Why do my calves cramp when I swim?"
# Each holds a word found nowhere else, so a leak of any part of it is caught.
PRIVATE = {
    "details of the answered question": "Started after my quarantaxia diagnosis last spring.",
    "a new question": "Is cramp a sign of wobbelstein syndrome?",
    "its details": "My neighbour Piotrowska-Vance says it runs in families.",
    "a declined question": "Can I get a sick note for fizzlecramp?",
    "a duplicate's wording": "Night cramps in knees, zorbulated?",
    "a merged question": "Do swimmers get calf cramp from kelptonic water?",
    "a flagged question": "Chest pain and cramp after glimmerdrops?",
}
EMAILS = ["asker.one@example.org", "asker.two@example.org", "asker.three@example.org"]
UNIQUE_WORDS = [
    "quarantaxia",
    "wobbelstein",
    "Piotrowska",
    "fizzlecramp",
    "zorbulated",
    "kelptonic",
    "glimmerdrops",
]


@pytest.fixture
def site_with_questions(make_article, make_question, committed, topic, author):
    """Questions in every state, one article written for a question and published (so the asker
    was told), one live article an editor marked as answering a question already."""
    draft = make_article(question=ANSWERED, publish=False)
    main = make_question(
        ANSWERED,
        status=Status.ACCEPTED,
        article=draft,
        details=PRIVATE["details of the answered question"],
        email=EMAILS[0],
        confirmed=True,
    )
    make_question(
        PRIVATE["a merged question"],
        status=Status.MERGED,
        merged_into=main,
        article=draft,
        email=EMAILS[1],
        confirmed=True,
    )
    with committed():
        draft.get_latest_revision().publish()
    draft.refresh_from_db()
    existing = make_article(question="Why do my knees click?")
    make_question(PRIVATE["a duplicate's wording"], status=Status.DUPLICATE, article=existing)
    make_question(PRIVATE["a new question"], details=PRIVATE["its details"], email=EMAILS[2])
    make_question(PRIVATE["a declined question"], status=Status.DECLINED)
    make_question(PRIVATE["a flagged question"], flagged=True, red_flags="chest pain")
    assert Question.objects.get(pk=main.pk).status == Status.ANSWERED
    return {"answered": draft, "existing": existing, "topic": topic, "author": author}


def public_pages(site):
    answered, existing, topic = site["answered"], site["existing"], site["topic"]
    return [
        "/",
        topic.url,
        answered.url,
        existing.url,
        site["author"].get_absolute_url(),
        "/authors/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-authors.xml",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/topics/{topic.slug}/rss/",
        f"/feeds/topics/{topic.slug}/atom/",
        "/questions/answered/",
        "/questions/answered/rss/",
        "/questions/answered/atom/",
        "/search/?q=cramp",
        "/search/?q=calf+cramp+swimming",
        "/search/?q=knees",
    ]


def test_no_public_page_shows_a_question_its_details_or_an_address(client, site_with_questions):
    for url in public_pages(site_with_questions):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for what, text in PRIVATE.items():
            assert text not in body, f"{what} on {url}"
        for word in UNIQUE_WORDS:
            assert word not in body, f"{word!r} on {url}"
        for email in EMAILS:
            assert email not in body, f"{email} on {url}"


def test_the_answered_article_shows_its_own_title_and_a_count_only(client, site_with_questions):
    html = client.get(site_with_questions["answered"].url).content.decode()
    assert f'<h1 id="article-title">{ANSWERED}</h1>' in html  # the question, as accepted
    assert "Answers 2 readers&#x27; questions" in html  # the main question and the merged one


def test_search_finds_no_question(client, site_with_questions):
    for word in UNIQUE_WORDS:
        response = client.get("/search/", {"q": word})
        assert response.status_code == 200
        assert response.context["total"] == 0, word
        body = response.content.decode()
        # The page repeats what the reader typed, and nothing of the question around it.
        for what, text in PRIVATE.items():
            assert text not in body, f"{what} when searching {word!r}"
    assert Question not in get_indexed_models()


def test_search_results_list_articles_only(client, site_with_questions):
    response = client.get("/search/", {"q": "cramp"})
    titles = [article.title for article in response.context["articles"]]
    assert titles == [ANSWERED]
