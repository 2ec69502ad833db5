"""Nothing private leaves through the API or the embed: no draft (nor a live article's newer
draft), no private page (view restriction on a topic or on the article), no reader question, no
commenter's name or address, no staff email.

The walk reads the OpenAPI document and calls every GET operation it lists, with each article's
id and each topic's slug, with search words taken from the secrets, and page after page of every
list: an endpoint added later is walked without changing this test.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from healthpress.articles.content import ArticleContent, save_article
from healthpress.comments.models import Comment
from healthpress.core.site import get_or_create_topic
from healthpress.questions.models import Question
from tests.conftest import make_article_content

pytestmark = pytest.mark.django_db

# Each secret is a word found nowhere else.
SECRETS = {
    "draft article": "Is zorbulism catching?",
    "newer draft of a live article": "Snorflewick draft answer.",
    "article in a private topic": "Why does quellimbar itch?",
    "privately restricted article": "Is frandibosis serious?",
    "reader question": "Could my plimsoll rash be glarbitis?",
    "reader question details": "My neighbour Vantrelli says so.",
    "commenter name": "Hortensia Blomqvist",
    "comment body": "Crumplehorn remedy works.",
}
EMAILS = ["asker@example.org", "commenter@example.org", "staff@example.org", "writer@example.org"]
WORDS = ["zorbulism", "Snorflewick", "quellimbar", "frandibosis", "glarbitis", "Vantrelli"]
WORDS += ["Blomqvist", "Crumplehorn"]


@pytest.fixture
def site_with_secrets(make_article, topic, author):
    live = make_article("Why do my legs cramp at night?")
    save_article(
        ArticleContent(live.title, SECRETS["newer draft of a live article"]), topic=topic
    )  # a draft revision, not published
    draft = make_article(SECRETS["draft article"], publish=False)
    private_topic, _ = get_or_create_topic("Private clinic notes")
    PageViewRestriction.objects.create(
        page=private_topic, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    hidden, _ = save_article(
        make_article_content(SECRETS["article in a private topic"]),
        topic=private_topic,
        author=author,
        publish=True,
    )
    restricted = make_article(SECRETS["privately restricted article"])
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    Question.objects.create(
        question=SECRETS["reader question"],
        details=SECRETS["reader question details"],
        email="asker@example.org",
        topic=topic,
        consent_version="1",
    )
    Comment.objects.create(
        article=live,
        name=SECRETS["commenter name"],
        email="commenter@example.org",
        body=SECRETS["comment body"],
        status="approved",
    )
    User = get_user_model()
    User.objects.create_superuser("staff", email="staff@example.org", password="pw")
    author.user = User.objects.create_user("writer", email="writer@example.org", is_staff=True)
    author.save()
    return {"live": live, "hidden": [draft, hidden, restricted], "topics": [topic, private_topic]}


def operations(api):
    schema = api.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert method == "get", f"{method} {path}: the API is read-only"
            yield path, operation


def urls_for(path, operation, site):
    ids = [site["live"].pk, *(page.pk for page in site["hidden"])]
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    paths = [path.replace("{article_id}", str(pk)) for pk in ids] if "{" in path else [path]
    queries = [""]
    if "topic" in names:
        queries += [f"topic={topic.slug}" for topic in site["topics"]]
    if "letter" in names:
        queries += [f"letter={word[0]}" for word in WORDS]
    if "limit" in names:
        queries.append("limit=1")
    if "q" in names:  # required: every query searches
        queries = [f"q={word}" for word in [*WORDS, "cramp"]]
    if "per_page" in names:
        queries.append("per_page=1")
    return [f"{p}?{q}" if q else p for p in paths for q in queries]


def walk(api, url, seen):
    """GET `url` and every page after it (`next`), collecting the bodies."""
    while url and url not in seen:
        response = api.get(url)
        assert response.status_code in (200, 404, 410), (url, response.status_code)
        data = response.json()
        data.pop("query", None)  # search echoes the partner's own words
        seen[url] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        following = data.get("next") if response.status_code == 200 else None
        url = following and re.sub(r"^https?://[^/]+", "", following)


def test_no_endpoint_shows_anything_private(api, client, site_with_secrets):
    seen = {}
    walked_paths = set()
    for path, operation in operations(api):
        walked_paths.add(path)
        for url in urls_for(path, operation, site_with_secrets):
            walk(api, url, seen)
    # Every endpoint of the document was walked, the embed page too.
    assert len(walked_paths) >= 6
    for page in [site_with_secrets["live"], *site_with_secrets["hidden"]]:
        seen[f"/embed/{page.pk}/"] = client.get(f"/embed/{page.pk}/").content.decode()
    # The live article itself is there (the walk reaches real data)...
    live_id = site_with_secrets["live"].pk
    assert '"question":"Why do my legs cramp at night?"' in seen[f"/api/v1/articles/{live_id}"]
    # ...the hidden ones are not.
    for page in site_with_secrets["hidden"]:
        assert seen[f"/api/v1/articles/{page.pk}"].startswith('{"detail"'), page.title
    for url, body in seen.items():
        for what, text in SECRETS.items():
            assert text not in body, f"{what} in {url}"
        for word in WORDS:
            assert word not in body, f"{word!r} in {url}"
        for email in EMAILS:
            assert email not in body, f"{email} in {url}"
        assert "@example.org" not in body, url
