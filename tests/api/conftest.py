"""Fixtures for the partner API: a key, a client that sends it, and an article with one block of
every kind, a reviewer, references and tags."""

import pytest
from django.test import Client

from healthpress.api.keys import create_key
from healthpress.articles.content import paragraphs_to_html
from healthpress.people.models import Person
from tests.articles.helpers import reference
from tests.conftest import section


def rich(text):
    return paragraphs_to_html([text])


def every_block(link_to=None):
    """One block of each body type, in the raw StreamField form save_article takes."""
    paragraph = rich("A plain paragraph.")
    if link_to is not None:  # a link to another page, as Wagtail's editor stores it
        paragraph = f'<p>See <a linktype="page" id="{link_to.pk}">the other answer</a>.</p>'
    return [
        section("Muscle fatigue", "Tired muscles cramp [1].", "Stretch before bed."),
        {"type": "prevention", "value": {"heading": "Prevention", "text": rich("Drink water.")}},
        {
            "type": "see_doctor",
            "value": {"heading": "When to see a doctor", "text": rich("If cramps last weeks.")},
        },
        {
            "type": "urgent",
            "value": {
                "heading": "Get medical help now if",
                "text": rich("One calf is swollen and hot."),
                "level": "immediate",
            },
        },
        {
            "type": "first_aid",
            "value": {
                "heading": "During a cramp",
                "intro": "Try this.",
                "steps": ["Straighten your leg.", "Pull your toes up."],
            },
        },
        {"type": "paragraph", "value": paragraph},
    ]


@pytest.fixture
def key(db):
    return create_key("Riverside GP practice")[1]


@pytest.fixture
def api(key):
    """A test client that sends the partner's key with every request."""
    return Client(headers={"X-API-Key": key})


@pytest.fixture
def reviewer_person(db):
    return Person.objects.create(
        name="Kofi Mensah", credentials="MBBS, MRCGP", job_title="General Practitioner"
    )


@pytest.fixture
def full_article(make_article, reviewer_person):
    """A published, reviewed article with every kind of block, references and tags."""
    from datetime import date

    other = make_article("Why do my ankles swell?")
    page = make_article(
        "Why do my legs cramp at night?",
        sections=0,
        more_blocks=every_block(link_to=other),
        condition="Muscle cramp",
        references=[reference("Leg cramps", url="https://example.org/cramps")],
        tags=["muscles", "sleep"],
    )
    page.reviewer = reviewer_person
    page.last_reviewed = date(2026, 1, 10)
    page.next_review_due = date(2028, 1, 10)
    page.save_revision().publish()
    return page
