import re

import pytest
from wagtail.models import PageViewRestriction

from healthpress.people.models import Person

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_name_and_kept_unique():
    first = Person.objects.create(name="Sam Lee")
    second = Person.objects.create(name="Sam Lee")
    assert (first.slug, second.slug) == ("sam-lee", "sam-lee-2")


def test_display_name_carries_credentials():
    assert Person(name="Ana Ruiz", credentials="MD").display_name == "Ana Ruiz, MD"
    assert Person(name="Ana Ruiz").display_name == "Ana Ruiz"


def test_author_page_lists_only_published_articles(client, make_article, author):
    make_article(question="Why do my knees click?")
    make_article(question="Is this draft visible?", publish=False)
    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Why do my knees click?" in html
    assert "Is this draft visible?" not in html
    assert author.name in html and "Senior Expert" in html
    # each listed article names its topic (the header's topic nav links it too: look for "In")
    assert re.search(r'In <a href="[^"]*/muscles-bones-and-joints/">Muscles, bones', html)


def test_unknown_author_is_a_404(client, db):
    assert client.get("/authors/nobody-here/").status_code == 404


def test_author_index_lists_authors_with_published_articles(client, make_article, author):
    Person.objects.create(name="Quiet Person")
    make_article()
    html = client.get("/authors/").content.decode()
    assert author.name in html
    assert "Quiet Person" not in html


def test_author_index_leaves_out_authors_whose_only_articles_are_restricted(
    client, make_article, author
):
    private = make_article("Only for signed-in staff?")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert author.name not in client.get("/authors/").content.decode()
    make_article("Open to every reader?")
    assert author.name in client.get("/authors/").content.decode()
