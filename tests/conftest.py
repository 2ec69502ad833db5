"""Shared fixtures: a site with a topic, an author and articles built through the real services."""

import pytest

from healthpress.articles.content import ArticleContent, paragraphs_to_html, save_article
from healthpress.core.site import ensure_home_page, get_or_create_topic
from healthpress.people.models import Person


def section(heading, explanation="Why it happens.", advice="What to do about it."):
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "explanation": paragraphs_to_html([explanation]),
            "advice": paragraphs_to_html([advice]) if advice else "",
        },
    }


def make_article_content(question="Why do my legs cramp at night?", sections=3, **extra):
    body = [section(f"Cause number {n}") for n in range(1, sections + 1)]
    body += extra.pop("more_blocks", [])
    return ArticleContent(
        question=question,
        short_answer=extra.pop("short_answer", "Mostly tired muscles."),
        body=body,
        **extra,
    )


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def topic(home):
    return get_or_create_topic("Muscles, bones and joints")[0]


@pytest.fixture
def author(db):
    return Person.objects.create(
        name="Dana Okafor",
        credentials="MD",
        job_title="Senior Expert",
        role="Contributing Writer",
        bio="Sports physician.",
    )


@pytest.fixture
def make_article(topic, author):
    def make(question="Why do my legs cramp at night?", sections=3, publish=True, **extra):
        content = make_article_content(question, sections, **extra)
        page, _ = save_article(content, topic=topic, author=author, publish=publish)
        return page

    return make
