"""Loading the demo site, safe to repeat: `make run` calls it on every start.

The demo's articles are text files in the import format (articles/*.txt), read by the importer and
saved by `save_article()`, the path an editor's `manage.py import_articles` takes; site.toml holds
what that format does not carry (topics, people, reviews, references, care-card levels) and the
home and editorial policy pages.

Whatever already matches the demo data is left alone, so a second run writes nothing and adds no
page revisions. An article someone has edited or unpublished in the admin is kept as they left
it: trying out the editing workflow must survive the next `make run`.

Then activity.py adds, once, what people leave on a site in use (comments, subscribers, reader
questions, an article in review and a draft), without mailing anyone.
"""

import os
import secrets
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from healthpress.articles.content import ArticleContent, find_article, save_article
from healthpress.articles.importer import (
    InvalidArticle,
    ParsedArticle,
    article_content,
    parse_article,
    read_article_file,
)
from healthpress.articles.models import ArticlePage, ReviewSettings
from healthpress.core.models import EditorialPolicyPage
from healthpress.core.site import (
    ensure_home_page,
    get_or_create_topic,
    use_base_url_for_default_site,
)
from healthpress.health.references import checks_on_publish_paused
from healthpress.people.models import Person

from . import activity

DEMO_DIR = Path(__file__).resolve().parent
ARTICLES_DIR = DEMO_DIR / "articles"
DATA_FILE = DEMO_DIR / "site.toml"
ADMIN_USERNAME = "admin"
PERSON_FIELDS = ("name", "credentials", "job_title", "role", "bio")
REFERENCE_FIELDS = ("authors", "title", "publisher", "year", "url", "accessed")


@dataclass
class AdminAccount:
    username: str
    status: str  # "created", "updated" or "unchanged"
    # None when we do not know it: the user had a password we did not generate, or it changed.
    password: str | None
    password_from_env: bool = False


@dataclass
class DemoReport:
    # {"articles": Counter(created=1, unchanged=8)}; "kept" counts articles edited in the admin.
    counts: dict = field(
        default_factory=lambda: {
            kind: Counter() for kind in ("topics", "people", "articles", "activity")
        }
    )
    admin: AdminAccount | None = None


@dataclass
class DemoArticle:
    """One demo article: its file as the importer reads it, and its entry in site.toml."""

    path: Path
    parsed: ParsedArticle
    content: ArticleContent
    topic: str  # a topic's name
    reviewer: str  # a person's slug
    published: date


def read_site_data():
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


def demo_articles(data):
    """Every article of the demo, in the order site.toml lists them."""
    for entry in data["articles"]:
        path = ARTICLES_DIR / entry["file"]
        try:
            parsed = parse_article(read_article_file(path))
        except InvalidArticle as error:
            raise InvalidArticle(f"{path}: {error}") from error
        content = article_content(parsed, path.parent)
        content.last_updated = entry.get("last_updated")
        content.condition = entry["condition"]
        content.tags = entry["tags"]
        content.last_reviewed = entry["last_reviewed"]
        content.references = [_reference(item) for item in entry["references"]]
        for block in content.body:
            if block["type"] == "urgent":
                block["value"]["level"] = entry.get("urgent_level", "urgent")
        yield DemoArticle(
            path, parsed, content, entry["topic"], entry["reviewer"], entry["published"]
        )


def _reference(item):
    value = {name: item.get(name) for name in REFERENCE_FIELDS}
    if value["accessed"]:
        value["accessed"] = value["accessed"].isoformat()
    return {"type": "reference", "value": value}


def load_demo(*, admin=True):
    report = DemoReport()
    data = read_site_data()
    # A broken file stops the run before anything is saved.
    articles = list(demo_articles(data))
    drafts = list(activity.demo_drafts(data))
    # The demo's references are real sources (NHS, NICE...): checking them is an editor's call
    # (manage.py check_references), not something the first `make run` does from their machine.
    with transaction.atomic(), checks_on_publish_paused():
        topics, authors = _load_pages(data, articles, report)
        activity.load_activity(drafts, topics, authors, report.counts["activity"])
    if admin:
        report.admin = ensure_admin()
    return report


def _load_pages(data, articles, report):
    home = ensure_home_page(**data["home"])
    # Every <loc> in the sitemap and every canonical link must open on the address we serve.
    use_base_url_for_default_site()
    _fill_intro(home, data["home"]["intro"])
    _ensure_editorial_policy(home, data["editorial_policy"])

    topics = {}
    for item in data["topics"]:
        topic, created = get_or_create_topic(item["name"], intro=item["intro"])
        updated = not created and _fill_intro(topic, item["intro"])
        report.counts["topics"][_status(created, updated)] += 1
        topics[item["name"]] = topic

    people, authors = {}, {}
    for item in data["people"]:
        person, status = _ensure_person(item)
        report.counts["people"][status] += 1
        people[item["slug"]] = authors[item["name"]] = person

    counts = report.counts["articles"]
    for article in articles:
        content, reviewer = article.content, people[article.reviewer]
        author = authors.get(article.parsed.author.name)
        if author is None:
            raise InvalidArticle(
                f"{article.path}: the author block names {article.parsed.author.name!r}, "
                f"who is not one of the people in {DATA_FILE.name}"
            )
        existing = find_article(content.question)
        if existing and _edited_in_admin(existing):
            counts["kept"] += 1
        elif existing and _is_current(existing, content, author, reviewer):
            counts["unchanged"] += 1
        else:
            save_article(
                content,
                topic=topics[article.topic],
                author=author,
                reviewer=reviewer,
                publish=True,
                published_at=article.published,
                via="load_demo",
            )
            counts["updated" if existing else "created"] += 1
    return topics, authors


def _ensure_editorial_policy(home, data):
    """The editorial policy page, linked from the footer and every review line. Created once;
    after that it is the editors' page to change."""
    policy = EditorialPolicyPage.objects.first()
    if policy is None:
        policy = home.add_child(instance=EditorialPolicyPage(**data))
        policy.save_revision().publish()
    site = home.get_site()
    if site is not None:
        site_settings = ReviewSettings.for_site(site)
        if site_settings.editorial_policy_page_id is None:
            site_settings.editorial_policy_page = policy
            site_settings.save(update_fields=["editorial_policy_page"])


def _status(created, updated):
    return "created" if created else "updated" if updated else "unchanged"


def _fill_intro(page, intro):
    """Give a page its intro if it has none; an intro an editor wrote is theirs to keep."""
    if page.intro:
        return False
    page.intro = intro
    page.save_revision().publish()
    return True


def _ensure_person(data):
    person = Person.objects.filter(slug=data["slug"]).first()
    if person is None:
        return Person.objects.create(**data), "created"
    changed = [name for name in PERSON_FIELDS if getattr(person, name) != data[name]]
    for name in changed:
        setattr(person, name, data[name])
    if changed:
        person.save(update_fields=changed)
    return person, "updated" if changed else "unchanged"


def _edited_in_admin(page):
    """True once a person has touched the article: the loader saves its revisions without a user,
    and loader-made articles are always published, so an unpublished one was unpublished on
    purpose."""
    revision = page.get_latest_revision()
    return not page.live or (revision is not None and revision.user_id is not None)


def _is_current(page, content, author, reviewer):
    """Does the published article already say exactly what the demo data says?"""
    if page.has_unpublished_changes:
        return False
    return (
        page.title == content.question
        and page.short_answer == content.short_answer
        and page.author_id == author.pk
        and page.last_updated == content.last_updated
        and page.condition_name == content.condition
        and page.reviewer_id == reviewer.pk
        and page.last_reviewed == content.last_reviewed
        and sorted(page.tags.names()) == sorted(content.tags)
        and page.lead_image_id == getattr(content.lead_image, "pk", None)
        and page.lead_image_alt == content.lead_image_alt
        and _comparable(page.body) == _comparable(ArticlePage(body=content.body).body)
        and _comparable(page.references)
        == _comparable(ArticlePage(references=content.references).references)
    )


def _comparable(stream):
    # Block ids are random per save, so compare types and values only.
    return [
        {"type": child.block_type, "value": child.block.get_api_representation(child.value)}
        for child in stream
    ]


def ensure_admin():
    """A superuser "admin" to log in with. Its password comes from ADMIN_PASSWORD, or else is
    generated once and kept in var/admin_password, so every run prints the same one."""
    User = get_user_model()
    env_password = os.environ.get("ADMIN_PASSWORD")
    user = User.objects.filter(username=ADMIN_USERNAME).first()

    if env_password:
        if user is None:
            activity.quiet(User.objects.create_superuser(ADMIN_USERNAME, password=env_password))
            status = "created"
        elif not user.check_password(env_password):
            user.set_password(env_password)
            user.save(update_fields=["password"])
            status = "updated"
        else:
            status = "unchanged"
        return AdminAccount(ADMIN_USERNAME, status, env_password, password_from_env=True)

    if user is None:
        password = _stored_password(create=True)
        activity.quiet(User.objects.create_superuser(ADMIN_USERNAME, password=password))
        return AdminAccount(ADMIN_USERNAME, "created", password)
    # An existing password (createsuperuser, an earlier ADMIN_PASSWORD, a change in the admin) is
    # never reset; the stored one is only shown while it still works.
    stored = _stored_password(create=False)
    known = stored if stored and user.check_password(stored) else None
    return AdminAccount(ADMIN_USERNAME, "unchanged", known)


def admin_password_file():
    return Path(settings.VAR_DIR) / "admin_password"


def _stored_password(*, create):
    """The password kept in var/admin_password; with `create`, one is made if there is none.

    Written like settings.env.stored_secret (mode 0600, O_EXCL: two runs at once agree on one
    password), which the demo cannot import: apps read settings only through django.conf.
    """
    path = admin_password_file()
    if path.exists():
        return path.read_text().strip()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(password)
    return password
