import html
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from wagtail.models import Revision

from healthpress.articles.content import find_article
from healthpress.articles.models import ArticlePage
from healthpress.core import demo, demo_content
from healthpress.core.models import TopicPage
from healthpress.people.models import Person

CRAMPS_QUESTION = "Is cramping caused by excessive calcium or insufficient calcium?"
CRAMPS_HEADINGS = [
    "Abnormal calcium metabolism",
    "Muscle fatigue",
    "Electrolyte imbalance",
    "Poor blood circulation",
    "Abnormal neuromodulation",
]
REFERENCE_PAGE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "cramps-article-page.txt"
)


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    """Keep the admin password file out of the real var/ directory."""
    monkeypatch.setattr(demo, "VAR_DIR", tmp_path)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    return tmp_path


def run_load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_password(output):
    return re.search(r"password: (\S+)", output).group(1)


@pytest.mark.django_db
def test_demo_builds_articles_spread_over_topics_and_authors():
    run_load_demo("--no-admin")
    assert ArticlePage.objects.count() >= 7
    assert not ArticlePage.objects.filter(live=False).exists()
    topics = TopicPage.objects.live()
    assert topics.count() >= 3
    for topic in topics:
        assert topic.intro
        assert ArticlePage.objects.live().child_of(topic).count() >= 2
    authors = Person.objects.all()
    assert authors.count() >= 3
    for person in authors:
        assert person.articles.filter(live=True).count() >= 2


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_adds_no_revisions():
    run_load_demo("--no-admin")
    counts = (ArticlePage.objects.count(), TopicPage.objects.count(), Person.objects.count())
    revisions = Revision.objects.count()

    output = run_load_demo("--no-admin")

    assert (ArticlePage.objects.count(), TopicPage.objects.count(), Person.objects.count()) == (
        counts
    )
    assert Revision.objects.count() == revisions
    assert "Demo articles: 0 created, 0 updated, 9 unchanged" in output


@pytest.mark.django_db
def test_changed_demo_content_is_published_as_a_new_revision(monkeypatch):
    run_load_demo("--no-admin")
    article = find_article(CRAMPS_QUESTION)
    revisions = article.revisions.count()
    monkeypatch.setattr(demo_content.CRAMPS, "short_answer", "A clearer short answer.")

    run_load_demo("--no-admin")

    article.refresh_from_db()
    assert article.short_answer == "A clearer short answer."
    assert article.revisions.count() == revisions + 1


@pytest.mark.django_db
def test_article_edited_in_the_admin_is_not_overwritten(admin_user):
    run_load_demo("--no-admin")
    article = find_article(CRAMPS_QUESTION)
    article.short_answer = "The editor's own words."
    article.save_revision(user=admin_user).publish(user=admin_user)

    output = run_load_demo("--no-admin")

    article.refresh_from_db()
    assert article.short_answer == "The editor's own words."
    assert "1 kept as edited in the admin" in output


@pytest.mark.django_db
def test_cramps_article_has_the_five_sections_and_safety_blocks():
    run_load_demo("--no-admin")
    article = find_article(CRAMPS_QUESTION)
    assert article.title == CRAMPS_QUESTION
    assert article.section_headings() == CRAMPS_HEADINGS
    block_types = {block.block_type for block in article.body}
    assert {"prevention", "see_doctor", "urgent", "first_aid"} <= block_types
    assert article.author.job_title == "Senior Expert"
    assert article.author.role == "Contributing Writer"


@pytest.mark.django_db
def test_every_section_says_what_the_reader_can_do():
    run_load_demo("--no-admin")
    for article in ArticlePage.objects.all():
        sections = [block for block in article.body if block.block_type == "section"]
        assert sections, article.title
        for block in sections:
            assert block.value["advice"].source, (article.title, block.value["heading"])
        assert "see_doctor" in {block.block_type for block in article.body}, article.title


@pytest.mark.django_db
def test_admin_is_created_with_the_printed_password_and_kept_on_the_next_run(var_dir):
    output = run_load_demo()
    password = printed_password(output)
    assert "http://127.0.0.1:8000/admin/" in output
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser
    stored = var_dir / "admin_password"
    assert stored.read_text().strip() == password
    assert stored.stat().st_mode & 0o777 == 0o600

    assert printed_password(run_load_demo()) == password
    assert authenticate(username="admin", password=password)


@pytest.mark.django_db
def test_admin_password_from_the_environment_is_applied(monkeypatch, var_dir):
    run_load_demo()
    monkeypatch.setenv("ADMIN_PASSWORD", "chosen-by-the-operator")
    monkeypatch.setenv("PORT", "9000")

    output = run_load_demo()

    assert "http://127.0.0.1:9000/admin/" in output
    assert "chosen-by-the-operator" not in output
    assert authenticate(username="admin", password="chosen-by-the-operator")


@pytest.mark.django_db
def test_existing_admin_password_is_left_alone(var_dir):
    get_user_model().objects.create_superuser("admin", password="made-by-hand-123")

    output = run_load_demo()

    assert "password: unchanged" in output
    assert not (var_dir / "admin_password").exists()
    assert authenticate(username="admin", password="made-by-hand-123")


@pytest.mark.django_db
def test_no_admin_option_creates_no_user():
    run_load_demo("--no-admin")
    assert not get_user_model().objects.exists()


# "Written in our own words": the demo must not reuse sentences from the reference page.


def demo_texts():
    """Every piece of text in the demo data, as plain text."""
    texts = []

    def collect(value):
        if isinstance(value, str):
            texts.append(html.unescape(re.sub(r"<[^>]+>", " ", value)))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    collect([demo_content.HOME, demo_content.TOPICS, demo_content.PEOPLE])
    for item in demo_content.ARTICLES:
        content = item["content"]
        collect([content.question, content.short_answer, content.body])
    return texts


def normalise(text):
    return " ".join(text.lower().split())


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def reference_text():
    if not REFERENCE_PAGE.exists():
        pytest.skip(f"reference page not found at {REFERENCE_PAGE}")
    # The question is the one thing we keep word for word, on purpose.
    return REFERENCE_PAGE.read_text().replace(CRAMPS_QUESTION.rstrip("?"), "")


def test_no_sentence_of_the_reference_page_appears_in_the_demo():
    demo_text = normalise(" ".join(demo_texts()))
    sentences = re.split(r"(?<=[.!?])\s+|\n+", reference_text())
    long_sentences = [s for s in sentences if len(s.split()) >= 6]
    assert long_sentences
    copied = [s for s in long_sentences if normalise(s) in demo_text]
    assert copied == []


def test_demo_shares_no_eight_word_run_with_the_reference_page():
    def runs(text, n=8):
        tokens = words(text)
        return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}

    reference_runs = runs(reference_text())
    shared = set().union(*(runs(text) & reference_runs for text in demo_texts()))
    assert shared == set()


# Trust signals in the demo: every article reviewed by someone else, with sources.


@pytest.mark.django_db
def test_cramps_article_carries_every_trust_signal():
    run_load_demo("--no-admin")
    article = find_article(CRAMPS_QUESTION)
    assert article.reviewer is not None and article.reviewer != article.author
    assert article.last_reviewed is not None
    assert article.next_review_due > article.last_reviewed
    assert article.condition_name == "Muscle cramp"
    assert len(article.references) >= 3
    assert article.cited_references() >= {1, 2, 3}
    kinds = {block.block_type for block in article.body}
    assert {"see_doctor", "urgent"} <= kinds


@pytest.mark.django_db
def test_every_demo_article_is_reviewed_by_someone_else_and_cites_sources():
    run_load_demo("--no-admin")
    for article in ArticlePage.objects.all():
        assert article.reviewer_id and article.reviewer_id != article.author_id, article.title
        assert article.last_reviewed and article.next_review_due, article.title
        assert article.condition_name, article.title
        assert len(article.references) >= 1, article.title
        assert article.tags.exists(), article.title


@pytest.mark.django_db
def test_demo_links_an_editorial_policy_page():
    from healthpress.articles.models import ReviewSettings
    from healthpress.core.models import EditorialPolicyPage

    run_load_demo("--no-admin")
    run_load_demo("--no-admin")
    assert EditorialPolicyPage.objects.live().count() == 1
    policy = EditorialPolicyPage.objects.get()
    site = policy.get_site()
    assert ReviewSettings.for_site(site).editorial_policy_page_id == policy.pk
