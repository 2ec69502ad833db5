"""Loading the demo site, safe to repeat: `make run` calls it on every start.

Whatever already matches the demo data is left alone, so a second run writes nothing and adds no
page revisions. An article someone has edited or unpublished in the admin is kept as they left
it: trying out the editing workflow must survive the next `make run`.
"""

import os
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from healthpress.articles.content import find_article, save_article
from healthpress.articles.models import ArticlePage
from healthpress.people.models import Person
from healthpress.settings.env import VAR_DIR, stored_secret

from . import demo_content
from .site import ensure_home_page, get_or_create_topic, use_base_url_for_default_site

ADMIN_USERNAME = "admin"
PERSON_FIELDS = ("name", "credentials", "job_title", "role", "bio")


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
        default_factory=lambda: {kind: Counter() for kind in ("topics", "people", "articles")}
    )
    admin: AdminAccount | None = None


def load_demo(*, admin=True):
    report = DemoReport()
    with transaction.atomic():
        _load_pages(report)
    if admin:
        report.admin = ensure_admin()
    return report


def _load_pages(report):
    home = ensure_home_page(**demo_content.HOME)
    # Every <loc> in the sitemap and every canonical link must open on the address we serve.
    use_base_url_for_default_site()
    _fill_intro(home, demo_content.HOME["intro"])
    _ensure_editorial_policy(home)

    topics = {}
    for data in demo_content.TOPICS:
        topic, created = get_or_create_topic(data["name"], intro=data["intro"])
        updated = not created and _fill_intro(topic, data["intro"])
        report.counts["topics"][_status(created, updated)] += 1
        topics[data["name"]] = topic

    people = {}
    for data in demo_content.PEOPLE:
        person, status = _ensure_person(data)
        report.counts["people"][status] += 1
        people[data["slug"]] = person

    articles = report.counts["articles"]
    for item in demo_content.ARTICLES:
        content, author = item["content"], people[item["author"]]
        reviewer = people[item["reviewer"]]
        existing = find_article(content.question)
        if existing and _edited_in_admin(existing):
            articles["kept"] += 1
        elif existing and _is_current(existing, content, author, reviewer):
            articles["unchanged"] += 1
        else:
            save_article(
                content,
                topic=topics[item["topic"]],
                author=author,
                reviewer=reviewer,
                publish=True,
                published_at=item["published"],
            )
            articles["updated" if existing else "created"] += 1


def _ensure_editorial_policy(home):
    """The editorial policy page, linked from the footer and every review line. Created once;
    after that it is the editors' page to change."""
    from healthpress.articles.models import ReviewSettings

    from .models import EditorialPolicyPage

    policy = EditorialPolicyPage.objects.first()
    if policy is None:
        policy = home.add_child(instance=EditorialPolicyPage(**demo_content.EDITORIAL_POLICY))
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
            User.objects.create_superuser(ADMIN_USERNAME, password=env_password)
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
        User.objects.create_superuser(ADMIN_USERNAME, password=password)
        return AdminAccount(ADMIN_USERNAME, "created", password)
    # An existing password (createsuperuser, an earlier ADMIN_PASSWORD, a change in the admin) is
    # never reset; the stored one is only shown while it still works.
    stored = _stored_password(create=False)
    known = stored if stored and user.check_password(stored) else None
    return AdminAccount(ADMIN_USERNAME, "unchanged", known)


def admin_password_file():
    return VAR_DIR / "admin_password"


def _stored_password(*, create):
    path = admin_password_file()
    if path.exists():
        return path.read_text().strip()
    return stored_secret(path, 16) if create else None
