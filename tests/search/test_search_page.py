import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthpress.search.models import SearchLog
from healthpress.search.preprocess import MAX_QUERY_CHARS

HOSTILE = [
    "",
    " ",
    "?",
    "!!!???...",
    "\x00",
    "cramp\x00night",
    "'; DROP TABLE wagtailsearch_indexentry; --",
    '"unbalanced quote',
    "NEAR(cramp night) AND OR NOT *",
    "title:cramp",
    "{body}: cramp",
    "cramp " * 500,
    "🦵💥 ночь 抽筋 ",
    "\u202eevil\u202c",
    "<script>alert(1)</script>",
    "%00%ff",
    "a" * 5000,
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


@pytest.fixture
def cramps(make_article):
    return make_article(
        "Why do my legs cramp at night?",
        short_answer="Cramping calf muscles at night are usually tired muscles.",
    )


def test_results_show_question_snippet_topic_and_query_in_the_box(client, cramps):
    response = client.get("/search/", {"q": "leg cramps at night"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="leg cramps at night"' in html
    assert f'href="{cramps.url}"' in html
    assert "<mark>Cramping</mark>" in html
    assert "In Muscles, bones and joints" in html
    assert "1 answer for" in html


def test_search_page_without_a_query_invites_one(client, cramps):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "Type a question" in response.content.decode()
    assert not SearchLog.objects.exists()


def test_no_results_suggest_topics_and_articles(client, cramps):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "We found no answers" in html
    assert "Browse by topic" in html and "Muscles, bones and joints" in html
    assert "Popular answers" in html and cramps.title in html


def test_a_long_query_is_cut_and_the_reader_is_told(client, cramps):
    html = client.get("/search/", {"q": "cramp " * 100}).content.decode()
    assert f"first {MAX_QUERY_CHARS} characters" in html
    assert cramps.title in html


def test_query_text_is_escaped_everywhere(client, make_article):
    make_article("Is <b>bold</b> safe?", short_answer="A <script>x</script> test about bold.")
    html = client.get("/search/", {"q": "<script>alert(1)</script> bold"}).content.decode()
    assert "<script>alert" not in html and "<script>x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("q", HOSTILE)
def test_odd_input_never_fails(client, cramps, q):
    response = client.get("/search/", {"q": q, "page": "1"})
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999999999", "2.5", "", "\x00"])
def test_odd_page_numbers_fall_back_to_a_valid_page(client, cramps, page):
    response = client.get("/search/", {"q": "cramp", "page": page})
    assert response.status_code == 200
    assert cramps.title in response.content.decode()


def test_pagination_links_keep_the_query(client, make_article):
    for n in range(12):
        make_article(f"Knee question number {n}?", short_answer="About knees.")
    html = client.get("/search/", {"q": "knee & ankle"}).content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?q=knee%20%26%20ankle&amp;page=2"' in html
    second = client.get("/search/", {"q": "knee & ankle", "page": "2"}).content.decode()
    assert len(re.findall(r'class="search-result"', second)) == 2
    assert 'start="11"' in second


def test_header_has_a_labelled_search_box_on_every_page(client, cramps):
    html = client.get(cramps.url).content.decode()
    assert 'action="/search/"' in html
    assert '<label for="site-search-q"' in html and 'name="q"' in html


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=400))
def test_any_unicode_text_gives_a_page(client, cramps, q):
    assert client.get("/search/", {"q": q}).status_code == 200
