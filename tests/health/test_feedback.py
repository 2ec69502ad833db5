"""Was this page helpful? Votes through the real pages and views, the one-vote-a-day rule, the
cross-site and multipart refusals, the cached thank-you states, the private "What was missing?"
notes and their retention."""

import datetime
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from healthpress.health.feedback import network_hash
from healthpress.health.models import FeedbackDay, MissingNote, VoteSeen
from tests.html_check import assert_valid_html

HOSTILE = (
    '<script>alert("x")</script><b onmouseover="steal()">More on</b> &lt;i&gt;magnesium&lt;/i&gt;'
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the default cache, which outlives each test."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def article(make_article):
    return make_article()


def vote(client, article, answer="yes", ip="203.0.113.7", **extra):
    return client.post(f"/feedback/{article.pk}/", {"answer": answer}, REMOTE_ADDR=ip, **extra)


def counts(article):
    days = FeedbackDay.objects.filter(article=article)
    return sum(d.yes for d in days), sum(d.no for d in days)


def test_the_article_ends_with_the_question_and_two_buttons(client, article):
    html = client.get(article.url).content.decode()
    assert "Was this page helpful?" in html
    assert f'action="/feedback/{article.pk}/"' in html
    assert 'name="answer" value="yes"' in html and 'name="answer" value="no"' in html
    assert "csrfmiddlewaretoken" not in html


def test_a_yes_vote_counts_and_lands_on_the_thank_you_state(client, article):
    response = vote(client, article)
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}?feedback=thanks#feedback"
    assert counts(article) == (1, 0)
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    page = client.get(f"{article.url}?feedback=thanks")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="status"' in html and "Thank you for your feedback" in html
    assert "What was missing?" not in html
    assert 'value="yes"' not in html


def test_a_second_vote_from_the_same_network_the_same_day_does_not_count(client, article):
    vote(client, article, "yes", ip="203.0.113.7")
    second = vote(client, article, "no", ip="203.0.113.99")  # same /24
    assert second.status_code == 303  # the same answer: no hint that it was not counted
    assert counts(article) == (1, 0)
    assert VoteSeen.objects.count() == 1


def test_fifty_votes_from_one_network_count_once(client, article):
    for n in range(50):
        assert vote(client, article, "no", ip=f"198.51.100.{n}").status_code == 303
    assert counts(article) == (0, 1)


def test_fifty_votes_count_once_without_the_rate_limit_too(client, article, settings):
    settings.FEEDBACK_VOTE_RATE_LIMITS = []
    for _ in range(50):
        vote(client, article, "yes")
    assert counts(article) == (1, 0)
    assert VoteSeen.objects.count() == 1


def test_another_network_counts_and_so_does_the_next_day(client, article):
    vote(client, article, "yes", ip="203.0.113.7")
    vote(client, article, "no", ip="192.0.2.10")
    vote(client, article, "yes", ip="2001:db8:1::1")
    assert counts(article) == (2, 1)
    assert FeedbackDay.objects.get(article=article).day == timezone.localdate()


def test_the_network_is_kept_only_as_a_daily_keyed_hash(client, article):
    vote(client, article, ip="203.0.113.7")
    seen = VoteSeen.objects.get()
    today = timezone.localdate()
    assert "203.0.113" not in seen.network and len(seen.network) == 64
    assert seen.network == network_hash("203.0.113.0", today).hexdigest()
    assert (
        seen.network != network_hash("203.0.113.0", today - datetime.timedelta(days=1)).hexdigest()
    )


def test_a_vote_on_one_article_does_not_stop_one_on_another(client, make_article):
    first, second = make_article("First?"), make_article("Second?")
    vote(client, first)
    vote(client, second)
    assert counts(first) == counts(second) == (1, 0)


def test_a_cross_site_post_is_refused_and_nothing_counted(client, article):
    forged = vote(client, article, HTTP_SEC_FETCH_SITE="cross-site")
    assert forged.status_code == 403
    foreign = vote(client, article, HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403
    note = client.post(
        f"/feedback/{article.pk}/missing/", {"text": "x"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert note.status_code == 403
    assert counts(article) == (0, 0) and not VoteSeen.objects.exists()
    assert not MissingNote.objects.exists()


def test_a_multipart_post_is_refused(client, article):
    response = client.post(
        f"/feedback/{article.pk}/",
        {"answer": "yes"},
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 415
    assert counts(article) == (0, 0)


def test_a_vote_must_be_yes_or_no(client, article):
    assert vote(client, article, "maybe").status_code == 400
    assert client.get(f"/feedback/{article.pk}/").status_code == 405
    assert counts(article) == (0, 0)


def test_only_live_public_articles_take_votes(client, article, make_article, topic):
    draft = make_article("A draft?", publish=False)
    private = make_article("Private?")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for page_id in (draft.pk, private.pk, topic.pk, 999999, 2**64):
        response = client.post(f"/feedback/{page_id}/", {"answer": "yes"})
        assert response.status_code == 404, page_id
        assert client.post(f"/feedback/{page_id}/missing/", {"text": "x"}).status_code == 404
    assert not FeedbackDay.objects.exists() and not MissingNote.objects.exists()


def test_no_leads_to_the_missing_box_and_a_note_to_the_noted_state(client, article):
    response = vote(client, article, "no")
    assert response["Location"] == f"{article.url}?feedback=missing#feedback"
    html = client.get(f"{article.url}?feedback=missing").content.decode()
    assert "What was missing?" in html and "Thank you for your feedback" in html
    assert f'action="/feedback/{article.pk}/missing/"' in html
    sent = client.post(f"/feedback/{article.pk}/missing/", {"text": "Dosage for children."})
    assert sent.status_code == 303
    assert sent["Location"] == f"{article.url}?feedback=noted#feedback"
    noted = client.get(f"{article.url}?feedback=noted").content.decode()
    assert "We have received your note" in noted and "What was missing?" not in noted
    assert MissingNote.objects.get().text == "Dosage for children."


def test_the_missing_note_is_stored_cleaned_and_shown_on_no_public_page(client, article, topic):
    client.post(f"/feedback/{article.pk}/missing/", {"text": HOSTILE})
    note = MissingNote.objects.get()
    assert note.text == "More on < i>magnesium< /i>"  # core/cleaning.py: tags gone, text kept
    for url in (
        article.url,
        *(f"{article.url}?feedback={s}" for s in ("thanks", "missing", "noted")),
        topic.url,
        "/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/feeds/rss/",
    ):
        assert "magnesium" not in client.get(url).content.decode(), url


def test_an_empty_note_goes_back_to_the_box_and_a_long_one_keeps_the_text(client, article):
    empty = client.post(f"/feedback/{article.pk}/missing/", {"text": "  "})
    assert empty.status_code == 303
    assert empty["Location"].endswith("?feedback=missing#feedback")
    long = client.post(f"/feedback/{article.pk}/missing/", {"text": "word " * 120})
    assert long.status_code == 400
    assert "500 characters" in long.content.decode()
    assert "word word" in long.content.decode()  # the reader's text, ready to shorten
    assert not MissingNote.objects.exists()
    # A line break counts as one character, as the browser's maxlength counts it.
    ok = client.post(f"/feedback/{article.pk}/missing/", {"text": "a\r\n" * 250})
    assert ok.status_code == 303
    assert len(MissingNote.objects.get().text) <= 500


def test_notes_are_limited_to_a_few_a_day_per_network(client, article, settings):
    settings.FEEDBACK_MISSING_RATE_LIMITS = [(3, 86400)]
    statuses = [
        client.post(f"/feedback/{article.pk}/missing/", {"text": f"Note {n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [303, 303, 303, 429, 429]
    assert MissingNote.objects.count() == 3
    other = client.post(
        f"/feedback/{article.pk}/missing/", {"text": "Another reader"}, REMOTE_ADDR="192.0.2.1"
    )
    assert other.status_code == 303


@pytest.mark.parametrize(
    "query", ["feedback=junk", "feedback=", "feedback=THANKS", "feedback=thanks&feedback=noted"]
)
def test_other_feedback_values_are_not_a_page(client, article, query):
    assert client.get(f"{article.url}?{query}").status_code == 404


def test_feedback_is_no_parameter_of_other_pages(client, topic, home):
    for url in (topic.url, home.url):
        assert client.get(f"{url}?feedback=thanks").status_code == 404


def test_a_private_article_asks_for_a_login_before_looking_at_feedback(client, article):
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(f"{article.url}?feedback=junk")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_thank_you_state_is_served_from_the_page_cache(client, article, page_cache_on):
    landing = vote(client, article, "yes")["Location"].split("#")[0]
    first = client.get(landing)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    vote(client, article, "yes", ip="192.0.2.1")
    again = client.get(landing)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Thank you for your feedback" in again.content.decode()
    # The article itself is unchanged by the votes: still cached, not purged.
    client.get(article.url)
    vote(client, article, "no", ip="198.51.100.1")
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    assert client.get(f"{article.url}?feedback=junk").status_code == 404


def test_the_box_costs_no_query(client, article, django_assert_num_queries):
    from tests.core.test_views import ARTICLE_QUERIES, warm

    for url in (article.url, f"{article.url}?feedback=missing"):
        warm(client, url)
        with django_assert_num_queries(ARTICLE_QUERIES):
            assert client.get(url).status_code == 200


def test_prune_feedback_keeps_only_what_the_rules_allow(article, settings):
    settings.FEEDBACK_DAYS = 90
    today = timezone.localdate()
    now = timezone.now()
    for days_ago in (0, 1, 90, 91):
        day = today - datetime.timedelta(days=days_ago)
        FeedbackDay.objects.create(article=article, day=day, yes=1)
        VoteSeen.objects.create(article=article, day=day, network=f"{days_ago:064d}")
        note = MissingNote.objects.create(article=article, text=f"{days_ago} days")
        MissingNote.objects.filter(pk=note.pk).update(
            created_at=now - datetime.timedelta(days=days_ago, hours=1)
        )
    out = io.StringIO()
    call_command("prune_feedback", stdout=out)
    assert "Deleted 3 vote records, 2 notes, 1 daily counts" in out.getvalue()
    assert list(VoteSeen.objects.values_list("day", flat=True)) == [today]
    kept_days = sorted((today - d).days for d in FeedbackDay.objects.values_list("day", flat=True))
    assert kept_days == [0, 1, 90]
    assert sorted(MissingNote.objects.values_list("text", flat=True)) == ["0 days", "1 days"]


def test_the_article_and_its_thank_you_states_are_valid_html(client, article, tmp_path):
    pages = {"article": client.get(article.url)}
    for state in ("thanks", "missing", "noted"):
        pages[state] = client.get(f"{article.url}?feedback={state}")
    pages["problem"] = client.post(f"/feedback/{article.pk}/missing/", {"text": "x" * 600})
    assert_valid_html(pages, tmp_path)
