"""The demo site: `manage.py load_demo` builds it from healthpress/demo/ and can run again."""

import html
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult
from wagtail.models import Revision

from healthpress.articles.content import find_article, question_slug
from healthpress.articles.importer import parse_article, read_article_file
from healthpress.articles.models import ArticlePage
from healthpress.core.models import TopicPage
from healthpress.demo import loader
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
DEMO_FILES = sorted(loader.ARTICLES_DIR.glob("*.txt"))
# The benchmarks (bench/) request these two pages by path.
BENCHMARK_PATHS = [
    "/muscles-bones-and-joints/is-cramping-caused-by-excessive-calcium-or-insufficient-calcium/",
    "/muscles-bones-and-joints/why-does-my-lower-back-hurt-after-sitting-all-day/",
]


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings, monkeypatch):
    """Keep the admin password file out of the real var/ directory."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    return tmp_path


@pytest.fixture
def demo_copy(tmp_path, monkeypatch):
    """The demo's article files copied to a folder of their own, for a test to change."""
    articles = tmp_path / "articles"
    shutil.copytree(loader.ARTICLES_DIR, articles)
    monkeypatch.setattr(loader, "ARTICLES_DIR", articles)
    return articles


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
    # Every article of site.toml is published; only the demo's draft and the article in review
    # (drafts/, test_demo_activity.py) are not.
    unpublished = ArticlePage.objects.filter(live=False).values_list("slug", flat=True)
    assert sorted(f"{slug}.txt" for slug in unpublished) == sorted(
        entry["file"] for entry in loader.read_site_data()["drafts"]
    )
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
def test_changed_demo_content_is_published_as_a_new_revision(demo_copy):
    run_load_demo("--no-admin")
    article = find_article(CRAMPS_QUESTION)
    revisions = article.revisions.count()
    path = demo_copy / f"{article.slug}.txt"
    question, _short_answer, rest = path.read_text().split("\n\n", 2)
    path.write_text(f"{question}\n\nA clearer short answer.\n\n{rest}")

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


def admin_with(password):
    """The admin account, if `password` is its password (a sign-in without a request: axes
    guards the login form itself)."""
    admin = get_user_model().objects.filter(username="admin").first()
    return admin if admin is not None and admin.check_password(password) else None


@pytest.mark.django_db
def test_admin_is_created_with_the_printed_password_and_kept_on_the_next_run(var_dir):
    output = run_load_demo()
    password = printed_password(output)
    assert "http://127.0.0.1:8000/admin/" in output
    assert "two-step sign-in: off here" in output  # make run's one-step login, said plainly
    user = admin_with(password)
    assert user is not None and user.is_superuser
    stored = var_dir / "admin_password"
    assert stored.read_text().strip() == password
    assert stored.stat().st_mode & 0o777 == 0o600

    assert printed_password(run_load_demo()) == password
    assert admin_with(password)


@pytest.mark.django_db
def test_admin_password_from_the_environment_is_applied(monkeypatch, var_dir):
    run_load_demo()
    monkeypatch.setenv("ADMIN_PASSWORD", "chosen-by-the-operator")
    monkeypatch.setenv("PORT", "9000")

    output = run_load_demo()

    assert "http://127.0.0.1:9000/admin/" in output
    assert "chosen-by-the-operator" not in output
    assert admin_with("chosen-by-the-operator")


@pytest.mark.django_db
def test_existing_admin_password_is_left_alone(var_dir):
    get_user_model().objects.create_superuser("admin", password="made-by-hand-123")

    output = run_load_demo()

    assert "password: unchanged" in output
    assert not (var_dir / "admin_password").exists()
    assert admin_with("made-by-hand-123")


@pytest.mark.django_db
def test_no_admin_option_creates_no_admin_and_no_account_to_sign_in_with():
    run_load_demo("--no-admin")
    users = get_user_model().objects.all()
    assert not users.filter(username="admin").exists()
    assert not users.filter(is_superuser=True).exists()
    assert not any(user.has_usable_password() for user in users)  # the experts' accounts


@pytest.mark.django_db
def test_demo_admin_command_makes_and_shows_the_admin(var_dir, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    out = StringIO()
    call_command("demo_admin", stdout=out)
    output = out.getvalue()
    assert "Admin (created): http://127.0.0.1:8123/admin/" in output
    assert admin_with(printed_password(output)).is_superuser


@pytest.mark.django_db
def test_loading_the_demo_queues_no_reference_check_and_an_editors_publish_does(
    settings, committed
):
    """The demo's sources are real sites: the first `make run` must not fetch them from the
    machine of whoever tries it. The pause ends with the load: an editor's publish is checked."""
    settings.REFERENCE_CHECK_ON_PUBLISH = True  # as outside the tests
    # Queued, not run: the database backend keeps each task as a row.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    checks = DBTaskResult.objects.filter(task_path__endswith="check_article_references")

    with committed():
        run_load_demo("--no-admin")
    assert DBTaskResult.objects.exists()  # the search index and the rest were queued
    assert not checks.exists()

    article = find_article(CRAMPS_QUESTION)
    with committed():
        article.save_revision().publish()
    assert list(checks.values_list("args_kwargs", flat=True)) == [
        {"args": [article.pk], "kwargs": {}}
    ]


# "Written in our own words": the demo must not reuse sentences from the reference page.


def demo_texts():
    """Every piece of text in the demo data, as plain text: each article file as a whole, and
    every string in site.toml."""
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

    collect(loader.read_site_data())
    collect([path.read_text() for path in DEMO_FILES])
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
    # The demo's draft and the article in review are not reviewed yet: that is their point.
    for article in ArticlePage.objects.live():
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


# The demo is made of files in the import format: what an editor imports is what the demo shows.


def demo_people_by_name():
    return {person["name"]: person for person in loader.read_site_data()["people"]}


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda path: path.stem)
def test_each_demo_file_reads_as_an_article_named_after_its_slug(path):
    parsed = parse_article(read_article_file(path))
    assert path.name == f"{question_slug(parsed.question)}.txt"
    # The author block names one of the demo's people, with their job title and role.
    person = demo_people_by_name()[parsed.author.name]
    assert (parsed.author.job_title, parsed.author.role) == (person["job_title"], person["role"])


def test_site_data_lists_every_demo_file_once_with_a_known_topic_and_reviewer():
    data = loader.read_site_data()
    assert sorted(entry["file"] for entry in data["articles"]) == [p.name for p in DEMO_FILES]
    topics = {topic["name"] for topic in data["topics"]}
    people = {person["slug"] for person in data["people"]}
    for entry in data["articles"]:
        assert entry["topic"] in topics, entry["file"]
        assert entry["reviewer"] in people, entry["file"]
        assert entry.get("urgent_level", "urgent") in {"urgent", "immediate"}, entry["file"]


@pytest.mark.django_db
def test_every_demo_file_imports_cleanly_with_import_articles():
    out, err = StringIO(), StringIO()
    call_command("import_articles", loader.ARTICLES_DIR, "--publish", stdout=out, stderr=err)

    assert f"created {len(DEMO_FILES)}, updated 0, failed 0" in out.getvalue()
    assert err.getvalue() == ""  # no warnings: every file names its author
    assert ArticlePage.objects.live().count() == len(DEMO_FILES)
    cramps = find_article(CRAMPS_QUESTION)
    assert cramps.section_headings() == CRAMPS_HEADINGS
    assert {"first_aid", "prevention", "see_doctor", "urgent"} <= {
        block.block_type for block in cramps.body
    }


@pytest.mark.django_db
def test_the_pages_the_benchmarks_request_are_in_the_demo():
    run_load_demo("--no-admin")
    for path in BENCHMARK_PATHS:
        assert ArticlePage.objects.live().filter(url_path=f"/home{path}").exists(), path


@pytest.mark.django_db
def test_a_broken_demo_file_stops_the_load_before_anything_is_saved(demo_copy):
    (demo_copy / DEMO_FILES[0].name).write_text("1. A heading where the question should be\n")

    with pytest.raises(CommandError, match=re.escape(DEMO_FILES[0].name)):
        run_load_demo("--no-admin")

    assert not ArticlePage.objects.exists()
    assert not Person.objects.exists()
