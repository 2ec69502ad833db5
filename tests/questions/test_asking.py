"""Asking at /ask/ through the real form: the two steps, what is stored and what is not, the
protections every public form has, the urgent care card, and where the form is linked from."""

import hashlib
import time
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test.client import MULTIPART_CONTENT
from wagtail.models import PageViewRestriction

from healthpress.core.fill_token import fill_token
from healthpress.core.site import get_or_create_topic
from healthpress.questions.forms import CONSENT_WORDING
from healthpress.questions.models import (
    CONSENT_WORDING_VERSION,
    DETAILS_MAX,
    QUESTION_MAX,
    AlreadyAnsweredCount,
    Question,
)
from tests.html_check import assert_valid_html

from .conftest import ask_data

pytestmark = pytest.mark.django_db

CRAMPS = "Why do my legs cramp at night?"
CRAMPS_ANSWER = "Mostly tired muscles, and sometimes too little magnesium."


@pytest.fixture
def cramps(make_article):
    return make_article(CRAMPS, short_answer=CRAMPS_ANSWER)


def found_today():
    return sum(AlreadyAnsweredCount.objects.values_list("count", flat=True))


def text_of(response):
    return response.content.decode()


# --- The form --------------------------------------------------------------------------------


def test_the_form_asks_for_consent_in_words_and_runs_no_script(client, topic):
    response = client.get("/ask/")
    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Ask our experts</h1>" in html
    assert 'name="consent" type="checkbox"' in html
    assert "anything I wrote in it about my health" in html
    assert f'<option value="{topic.pk}">{topic.title}</option>' in html
    assert 'name="started" value="' in html and 'name="website"' in html
    assert "<script" not in html and " style=" not in html
    assert 'rel="canonical"' in html and "noindex" not in html



def test_the_topic_list_offers_only_published_public_topics(client, topic):
    """The choices are the header's kept topics (core/navigation.py): unpublishing or
    restricting a topic purges them, so the form never offers one a reader cannot open."""
    hidden = get_or_create_topic("Staff only")[0]
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    draft = get_or_create_topic("Not yet")[0]
    draft.unpublish()
    html = text_of(client.get("/ask/"))
    assert f'<option value="{topic.pk}">' in html
    assert f'value="{hidden.pk}"' not in html and f'value="{draft.pk}"' not in html

def test_search_words_prefill_the_question_as_text(client):
    response = client.get("/ask/", {"q": 'sore knee <script>alert(1)</script>"'})
    html = text_of(response)
    assert 'value="sore knee &quot;"' in html
    assert "<script>" not in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


def test_consent_wording_is_pinned_to_its_version():
    """Changing the consent text means a new CONSENT_WORDING_VERSION (models.py), so that each
    stored question says which wording its asker agreed to: update both, then this hash."""
    digest = hashlib.sha256(CONSENT_WORDING.encode()).hexdigest()[:16]
    assert (CONSENT_WORDING_VERSION, digest) == ("2026-12-ask-v2", "df9a064817fc0163")


def test_consent_says_each_retention_rule_with_the_settings_figures(client, settings):
    """The wording states every rule prune_questions applies (issue 24): change a figure and
    the form and the landing say the new one."""
    settings.QUESTIONS_RETENTION_DAYS = 91
    settings.QUESTIONS_UNDECIDED_DAYS = 92
    settings.QUESTIONS_ACCEPTED_DAYS = 93
    for url in ("/ask/", "/ask/sent/"):
        html = text_of(client.get(url))
        assert "deleted 91 days after it is answered or declined" in html, url
        assert "92 days after I ask if nobody has taken it on" in html, url
        assert "93 days after an expert takes it on" in html, url
        assert "or as soon as I ask" in html, url


# --- Step two: already answered? ---------------------------------------------------------------


def test_matches_show_their_short_answer_and_nothing_is_stored_yet(ask, cramps):
    response = ask(question="Why do I get leg cramps at night?", details="Mostly in my calves.")
    assert response.status_code == 200
    html = text_of(response)
    assert "Is your question already answered?" in html
    assert f'href="{cramps.url}"' in html and CRAMPS in html
    assert CRAMPS_ANSWER in html
    assert 'value="found">This answers my question</button>' in html
    assert 'value="ask">Ask anyway</button>' in html
    assert 'name="details" value="Mostly in my calves."' in html  # carried, not kept
    assert "We cannot give personal medical advice" in html
    assert "no-store" in response["Cache-Control"]
    assert Question.objects.count() == 0 and found_today() == 0


def test_the_matches_step_writes_no_search_log(ask, cramps):
    """The matching is a search of the site, but not the reader's search: nothing of it goes
    to the search log (what its word counts keep is erased with the question: test_retention)."""
    from healthpress.search import log
    from healthpress.search.models import SearchLog

    response = ask(question="Do leg cramps run in the Wexlerbrook family?", details="My aunt.")
    assert response.status_code == 200 and CRAMPS in response.content.decode()
    log.flush()
    assert not SearchLog.objects.exists()


def test_this_answers_my_question_counts_once_and_stores_nothing(ask, client, cramps):
    response = ask(action="found", question="Why do I get leg cramps at night?")
    assert response.status_code == 303 and response["Location"] == "/ask/found/"
    assert found_today() == 1
    assert Question.objects.count() == 0
    landing = client.get(response["Location"])
    assert "Glad you found your answer" in text_of(landing)
    assert "We cannot give personal medical advice" in text_of(landing)


def test_ask_anyway_stores_the_question_with_its_consent(ask, client, cramps, topic):
    response = ask(
        action="ask",
        question="  Why do I get leg cramps   at night? ",
        details="Mostly in my calves.\r\nAfter running.",
        topic=str(topic.pk),
    )
    assert response.status_code == 303 and response["Location"] == "/ask/sent/"
    question = Question.objects.get()
    assert question.question == "Why do I get leg cramps at night?"
    assert question.details == "Mostly in my calves.\nAfter running."
    assert question.topic_id == topic.pk
    assert question.consent_version == CONSENT_WORDING_VERSION
    assert question.status == "new" and not question.flagged and question.email == ""
    assert found_today() == 0
    landing = client.get("/ask/sent/")
    html = text_of(landing)
    assert "Your question was sent" in html
    assert "We cannot give personal medical advice" in html
    assert "no-store" in landing["Cache-Control"] and 'name="robots" content="noindex"' in html


def test_without_matches_the_reader_still_confirms_before_anything_is_stored(ask):
    response = ask(question="Is it safe to swim after a tattoo?")
    html = text_of(response)
    assert response.status_code == 200
    assert "We have no article that answers this yet." in html
    assert 'value="ask">Send my question</button>' in html
    assert "This answers my question" not in html
    assert Question.objects.count() == 0


def test_change_my_question_shows_the_form_with_everything_typed(ask, topic):
    response = ask(
        action="edit", question="Is it safe to swim after a tattoo?", topic=str(topic.pk)
    )
    html = text_of(response)
    assert response.status_code == 200
    assert 'value="Is it safe to swim after a tattoo?"' in html
    assert f'<option value="{topic.pk}" selected>' in html
    assert 'name="consent" type="checkbox" value="1" required checked' in html
    assert Question.objects.count() == 0


def test_the_last_step_checks_the_hidden_copy_again(ask):
    too_long = ask(action="ask", question="x" * (QUESTION_MAX + 1))
    no_consent = ask(action="ask", consent="")
    assert too_long.status_code == no_consent.status_code == 400
    assert Question.objects.count() == 0


def test_the_fill_token_survives_both_steps(ask):
    token = fill_token("ask", time.time() - 60)
    step_two = ask(started=token)
    assert f'name="started" value="{token}"' in text_of(step_two)
    ask(action="ask", started=token)
    assert Question.objects.count() == 1


def test_a_form_left_open_for_days_is_still_a_person_s_question(ask):
    stale = fill_token("ask", time.time() - 3 * 86400)
    html = text_of(ask(started=stale))
    renewed = html.split('name="started" value="', 1)[1].split('"', 1)[0]
    assert renewed != stale
    ask(action="ask", started=renewed)
    assert Question.objects.count() == 1


def test_a_forged_token_is_carried_on_as_it_came(ask):
    assert 'name="started" value="1:forged"' in text_of(ask(started="1:forged"))


# --- Clear 400s with everything typed kept -------------------------------------------------------


def test_missing_consent_is_a_400_that_keeps_everything_typed(ask, topic):
    response = ask(
        consent="",
        question="Can I run with shin splints?",
        details="Two weeks now & it hurts.",
        email="ana@example.org",
        topic=str(topic.pk),
    )
    assert response.status_code == 400
    html = text_of(response)
    assert "Tick the box to agree that we store your question" in html
    assert 'role="alert"' in html and 'href="#ask-consent"' in html
    assert 'value="Can I run with shin splints?"' in html
    assert "Two weeks now &amp; it hurts.</textarea>" in html
    assert 'value="ana@example.org"' in html
    assert f'<option value="{topic.pk}" selected>' in html
    assert "<title>Error: Ask our experts" in html
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"question": "q" * (QUESTION_MAX + 1)}, "Your question is too long"),
        ({"details": "d" * (DETAILS_MAX + 1)}, "The details are too long"),
        ({"question": "<b></b>hi?"}, "at least 10 characters"),
        ({"email": "not an address"}, "Enter a valid email address"),
        ({"topic": "999999"}, "Choose a topic from the list"),
    ],
)
def test_bad_input_is_a_clear_400(ask, fields, message):
    response = ask(**fields)
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    assert Question.objects.count() == 0


def test_length_is_counted_after_cleaning(ask):
    """Markup that cleaning removes does not count against the reader."""
    question = "<b>" * 100 + "Why do my knees click?" + "</b>" * 100
    ask(action="ask", question=question)
    assert Question.objects.get().question == "Why do my knees click?"


# --- Hostile text ----------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>Why?",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "<!--><img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "\u202e<script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
]
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "link", "body", "a", "header", "div", "p", "form",
    "label", "input", "button", "nav", "ul", "li", "main", "h1", "h2", "h3", "section",
    "strong", "ol", "br", "footer", "small", "span", "textarea", "select", "option",
}  # fmt: skip


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.handlers, self.script_urls = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in {"href", "src", "action"} and (value or "").lower().startswith("java"):
                self.script_urls.append(value)


def assert_harmless(response):
    parser = Elements()
    parser.feed(text_of(response))
    assert parser.tags <= TEMPLATE_TAGS, parser.tags - TEMPLATE_TAGS
    assert parser.handlers == [] and parser.script_urls == []


@pytest.mark.parametrize("vector", HOSTILE)
def test_hostile_text_is_stored_clean_and_never_echoed_as_markup(ask, vector):
    question = f"Question {vector} about cramps?"
    details = f"Details: {vector}\nsecond line"
    assert_harmless(ask(question=question, details=details, email="bad" + vector))  # a 400
    step_two = ask(question=question, details=details)
    assert_harmless(step_two)
    assert_harmless(ask(action="edit", question=question, details=details))
    ask(action="ask", question=question, details=details)
    stored = Question.objects.get()
    for text in (stored.question, stored.details):
        assert "<script" not in text.lower() and "<img" not in text.lower()
        assert "\x00" not in text and "\u202e" not in text


# --- Protections -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": ""},
    ],
)
def test_a_cross_site_post_is_refused(ask, headers):
    response = ask(headers=headers, action="ask")
    assert response.status_code == 403
    assert "sent from another website" in text_of(response)
    assert Question.objects.count() == 0


def test_a_multipart_post_is_refused(client):
    response = client.post("/ask/", ask_data(action="ask"), content_type=MULTIPART_CONTENT)
    assert response.status_code == 415
    assert Question.objects.count() == 0


def test_an_oversized_post_is_refused(ask):
    response = ask(action="ask", details="x" * 70_000)
    assert response.status_code == 413
    assert Question.objects.count() == 0


AUTOMATED = {
    "trap filled": lambda: {"website": "https://spam.example"},
    "too fast": lambda: {"started": fill_token("ask")},
    "too old": lambda: {"started": fill_token("ask", time.time() - 3 * 86400)},
    "no token": lambda: {"started": ""},
    "forged token": lambda: {"started": "1:forged"},
    "token of another form": lambda: {"started": fill_token(7, time.time() - 60)},
}


@pytest.mark.parametrize("make_trap", AUTOMATED.values(), ids=AUTOMATED.keys())
def test_automated_posts_look_like_a_person_s_and_are_not_stored(ask, cramps, make_trap):
    trap = make_trap()
    person = ask(action="ask", question="Why do my ankles swell?")
    assert Question.objects.count() == 1
    bot = ask(action="ask", question="Why do my ankles swell?", **trap)
    assert (bot.status_code, bot["Location"]) == (person.status_code, person["Location"])
    assert Question.objects.count() == 1  # the person's only

    step_two_person, step_two_bot = ask(), ask(**trap)
    assert step_two_bot.status_code == step_two_person.status_code == 200
    assert "Is your question already answered?" in text_of(step_two_bot)

    found = ask(action="found", **trap)
    assert found.status_code == 303 and found["Location"] == "/ask/found/"
    assert found_today() == 0


def test_an_automated_urgent_question_gets_the_same_landing_too(ask):
    person = ask(action="ask", question="I have chest pain when I run, why?")
    bot = ask(action="ask", question="I have chest pain when I run, why?", website="x")
    assert bot["Location"] == person["Location"] == "/ask/sent/?urgent=1"
    assert Question.objects.count() == 1


def test_too_many_questions_from_one_network_get_a_readable_429(ask, settings):
    settings.QUESTIONS_RATE_LIMITS = [(1, 600)]
    assert ask(action="ask").status_code == 303
    response = ask(action="ask", question="Why do my knees click?", details="Since May.")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = text_of(response)
    assert "Please wait a little before asking again" in html
    assert 'value="Why do my knees click?"' in html and "Since May.</textarea>" in html
    assert Question.objects.count() == 1
    # Another network is not affected.
    assert ask(action="ask", headers={"REMOTE_ADDR": "203.0.113.9"}).status_code == 303


def test_the_matches_step_is_limited_like_a_search(ask, settings):
    settings.SEARCH_RATE_LIMITS = [(1, 60)]
    assert ask().status_code == 200
    limited = ask(question="Why do my knees click?")
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert 'value="Why do my knees click?"' in text_of(limited)


# --- Emergencies first -----------------------------------------------------------------------


def test_a_red_flag_shows_the_card_first_and_flags_the_question(ask, client, settings):
    settings.EMERGENCY_NUMBER = "999"
    question = "My dad has chest pain and slurred speech, what should we do?"
    step_two = ask(question=question)
    html = text_of(step_two)
    html = html[html.index("<main") :]
    card = html.index('class="callout callout--urgent" role="alert"')
    assert card < html.index("Is your question already answered?")
    assert card < html.index('name="question"')
    assert "If this is happening now, call 999" in html and 'href="tel:999"' in html
    assert "chest pain, slurred speech" in html

    response = ask(action="ask", question=question)
    assert response["Location"] == "/ask/sent/?urgent=1"
    landing = text_of(client.get(response["Location"]))
    landing = landing[landing.index("<main") :]
    assert landing.index("If this is happening now, call 999") < landing.index(
        "Your question was sent"
    )
    assert "We cannot give personal medical advice" in landing
    stored = Question.objects.get()
    assert stored.flagged and stored.red_flags == "chest pain, slurred speech"


def test_heatstroke_is_not_a_stroke(ask, client):
    step_two = ask(question="How do I avoid heatstroke when running?")
    assert "callout--urgent" not in text_of(step_two)
    response = ask(action="ask", question="How do I avoid heatstroke when running?")
    assert response["Location"] == "/ask/sent/"
    assert "callout--urgent" not in text_of(client.get("/ask/sent/"))
    assert not Question.objects.get().flagged


def test_the_emergency_number_comes_from_the_setting(ask, settings):
    settings.EMERGENCY_NUMBER = "112"
    assert "call 112" in text_of(ask(question="I think it is anaphylaxis, what now?"))


# --- Email -----------------------------------------------------------------------------------


def test_no_email_given_no_email_sent(ask, committed):
    with committed():
        ask(action="ask")
    assert mail.outbox == []


# --- Where the form is linked from, and caching ----------------------------------------------


def test_every_article_and_the_home_page_link_to_the_form(client, cramps):
    for url in (cramps.url, "/"):
        html = text_of(client.get(url))
        assert "Didn't find your answer?" in html and '<a href="/ask/">Ask our experts</a>' in html


def test_a_search_with_no_results_offers_to_ask_with_the_words_prefilled(client, cramps):
    html = text_of(client.get("/search/", {"q": "tattoo swimming & chlorine"}))
    assert 'href="/ask/?q=tattoo%20swimming%20%26%20chlorine"' in html
    prefilled = text_of(client.get("/ask/", {"q": "tattoo swimming & chlorine"}))
    assert 'value="tattoo swimming &amp; chlorine"' in prefilled


def test_the_form_may_be_cached_but_no_step_after_it(client, ask, page_cache_on):
    client.get("/ask/")
    assert client.get("/ask/")["X-Page-Cache"] == "hit"
    for response in (ask(), ask(consent=""), client.get("/ask/sent/"), client.get("/ask/found/")):
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
    assert "X-Page-Cache" not in client.get("/ask/sent/")


def test_a_question_never_shows_on_public_pages(ask, client, cramps):
    ask(action="ask", question="Is zzyzx syndrome contagious?", details="Private qwzx detail.")
    assert Question.objects.count() == 1
    for url in ("/", cramps.url, "/ask/", "/ask/sent/", "/search/?q=zzyzx", "/sitemap.xml"):
        html = text_of(client.get(url))
        assert "zzyzx syndrome" not in html and "qwzx" not in html, url


# --- Valid HTML ------------------------------------------------------------------------------


def test_ask_pages_are_valid_html(client, ask, cramps, tmp_path, settings):
    urgent = "Chest pain <b>after</b> running & more?"
    pages = {
        "form": client.get("/ask/"),
        "prefilled": client.get("/ask/?q=knees"),
        "errors": ask(question="x", details="<i>d</i>", email="bad", consent="", topic="9"),
        "matches": ask(question="Why do I get leg cramps at night?", details="a\n\nb"),
        "matches-urgent": ask(question=urgent, email="ana@example.org"),
        "no-matches": ask(question="Is it safe to swim after a tattoo?"),
        "sent": client.get("/ask/sent/"),
        "sent-urgent": client.get("/ask/sent/?urgent=1"),
        "found": client.get("/ask/found/"),
    }
    settings.QUESTIONS_RATE_LIMITS = [(1, 60)]
    ask(action="ask")
    pages["rate-limited"] = ask(action="ask")
    assert pages["rate-limited"].status_code == 429
    assert_valid_html(pages, tmp_path)
