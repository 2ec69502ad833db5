"""Demo activity: the site as people use it, so every flow has something to look at.

After the published articles (loader.py), load_demo adds what readers and editors leave behind:
an article waiting in the Medical review workflow and a draft (drafts/*.txt, listed under
[[drafts]] in site.toml), a comment thread with an approved reply, two comments waiting for a
moderator (one held by the spam checks, with their reason), a confirmed and a pending subscriber,
two reader questions, one flagged as urgent, and an admin account for each expert, so that a
question can be accepted and given to one of them. The overdue review is a published article's
date in site.toml, where the loader keeps it.

Three rules shape the code:

- Made once. Each piece has a key recorded in DemoItem when it is made; a key already recorded is
  never made again, so what a moderator or editor did with it (approved, declined, deleted) stays
  done.
- Never mailed. The services readers' actions go through (submit_comment, subscribe, ask_question)
  queue an email or a moderator digest after the commit, so the rows here are written with the
  models themselves, with the same fields those services fill, and every "already told" marker is
  set so no later digest or notice picks them up. The review submission goes through Wagtail's
  own workflow, whose notifiers stay connected: the demo's accounts (the admin, the experts) ask
  for no Wagtail notifications in their profile (`quiet()`), as anyone may under Account →
  Notifications. A person with an account of their own who asked to hear of submissions hears
  of the demo's, as of any other.
- Plainly demo. Names say "demo", every address is under example.org (reserved, RFC 2606), and
  nobody asked for a notification. The experts' accounts have no password anyone could sign in
  with (Django's unusable password).
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from healthpress.articles.content import ArticleContent, find_article, save_article
from healthpress.articles.importer import (
    InvalidArticle,
    article_content,
    parse_article,
    read_article_file,
)
from healthpress.comments import history, spam
from healthpress.comments.models import Comment, Status
from healthpress.core.fill_token import fill_token
from healthpress.newsletter.models import CONSENT_WORDING_VERSION as NEWSLETTER_CONSENT
from healthpress.newsletter.models import Subscriber
from healthpress.pagecache.purge import purge_page
from healthpress.questions.models import CONSENT_WORDING_VERSION as QUESTION_CONSENT
from healthpress.questions.models import Question
from healthpress.questions.red_flags import red_flags_in

from .models import DemoItem

DRAFTS_DIR = Path(__file__).resolve().parent / "drafts"
# Not the cramps or lower-back articles: the benchmarks and browser tests read those pages.
COMMENTED_ARTICLE = "What helps heartburn at night?"
CONSENT_SOURCE = "demo data (manage.py load_demo)"
LOG_VIA = "demo data"
STATES = ("in_review", "draft")


@dataclass
class DemoDraft:
    path: Path
    author: str  # a person's name, from the file's author block
    content: ArticleContent
    topic: str
    state: str  # one of STATES


def demo_drafts(data) -> Iterator[DemoDraft]:
    """The unpublished demo articles, read before anything is saved (a broken file stops the run
    like a broken published one)."""
    for entry in data.get("drafts", []):
        path = DRAFTS_DIR / entry["file"]
        try:
            parsed = parse_article(read_article_file(path))
        except InvalidArticle as error:
            raise InvalidArticle(f"{path}: {error}") from error
        if entry["state"] not in STATES:
            raise InvalidArticle(f"{path}: state must be one of {STATES}, not {entry['state']!r}")
        content = article_content(parsed, path.parent)
        content.condition = entry.get("condition", "")
        content.tags = entry.get("tags", [])
        yield DemoDraft(path, parsed.author.name, content, entry["topic"], entry["state"])


def load_activity(drafts, topics, authors, counts):
    """Make every piece of demo activity not made before; `counts` gets created/unchanged."""
    made = set(DemoItem.objects.values_list("key", flat=True))

    def once(key, make):
        # make() returns False when there is nothing to make (say, the question is already
        # someone's article): it is tried again next time, as nothing was recorded.
        if key not in made and make() is not False:
            DemoItem.objects.create(key=key)
            counts["created"] += 1
        else:
            counts["unchanged"] += 1

    for draft in drafts:
        once(f"article:{draft.content.slug}", lambda d=draft: _draft(d, topics, authors))
    article = find_article(COMMENTED_ARTICLE)
    if article is not None and article.live:
        once("comment:thread", lambda: _comment_thread(article))
        once("comment:pending", lambda: _pending_comment(article, **PENDING_COMMENT))
        once("comment:held", lambda: _pending_comment(article, **HELD_COMMENT))
    once("subscriber:confirmed", lambda: _subscriber(CONFIRMED_SUBSCRIBER, confirmed=True))
    once("subscriber:pending", lambda: _subscriber(PENDING_SUBSCRIBER, confirmed=False))
    for key, question in QUESTIONS.items():
        once(f"question:{key}", lambda q=question: _question(topics, **q))
    for person in authors.values():
        once(f"account:{person.slug}", lambda p=person: _expert_account(p))


# Articles


def _draft(draft, topics, authors):
    if find_article(draft.content.question) is not None:
        return False  # someone wrote or imported this question already: theirs to keep
    author = authors.get(draft.author)
    if author is None:
        raise InvalidArticle(
            f"{draft.path}: the author block names {draft.author!r}, who is not "
            "one of the people in site.toml"
        )
    page, _ = save_article(draft.content, topic=topics[draft.topic], author=author)
    if draft.state == "in_review":
        workflow = page.get_workflow()
        if workflow is not None:  # None once someone removed it in the admin: a plain draft
            # Submitted by nobody in particular: no reviewer is barred from approving it.
            workflow.start(page, None)
    return page


# Comments

THREAD_COMMENT = {
    "name": "Demo reader Sam",
    "email": "sam.demo@example.org",
    "body": "This is a demo comment. Raising the head of my bed on two blocks did more for me than "
    "piling up pillows ever did. Is it fine to keep it like that for good?",
}
THREAD_REPLY = {
    "name": "HealthPress editors (demo reply)",
    "email": "editors.demo@example.org",
    "body": "This is a demo reply. Yes: a raised head end is a habit many people keep for years. "
    "If you still need antacids most weeks, it is worth mentioning to your doctor.",
}
PENDING_COMMENT = {
    "name": "Demo reader Jo",
    "email": "jo.demo@example.org",
    "body": "This is a demo comment waiting for a moderator. Does a glass of milk at bedtime "
    "calm heartburn or make it worse?",
}
HELD_COMMENT = {
    "name": "Demo offers",
    "email": "offers.demo@example.org",
    "body": "This is a demo of a comment the spam checks hold back: too many links. Cheap "
    "remedies at https://pills.example.com, https://offers.example.net and "
    "https://deals.example.org",
}


def _comment_thread(article):
    """An approved comment and an approved reply to it. Approving through Comment.approve()
    would queue the approval notices; the rows and their log entries are written as it would
    leave them, with the notices marked as done."""
    now = timezone.now()
    comment = _approved(article, THREAD_COMMENT, created=now - timedelta(days=3))
    _approved(article, THREAD_REPLY, created=now - timedelta(days=2), parent=comment)
    purge_page(article)  # readers see the thread on the next request


def _approved(article, fields, created, parent=None):
    approved = created + timedelta(hours=2)
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        status=Status.APPROVED,
        created_at=created,
        approved_at=approved,
        status_changed_at=approved,
        moderators_notified_at=created,
        approval_notified_at=approved,
        **fields,
    )
    history.record(comment, Status.PENDING, Status.APPROVED, None, LOG_VIA, approved)
    return comment


def _pending_comment(article, **fields):
    """A comment as submit_comment stores it, judged by the same spam checks, but with no
    moderator digest: it is marked as already in one."""
    now = timezone.now()
    comment = Comment.objects.create(
        article=article,
        status=Status.PENDING,
        created_at=now - timedelta(hours=5),
        moderators_notified_at=now,
        **fields,
    )
    # The checks want the form's signed fill time: as if a person had taken a minute over it.
    token = fill_token(article.pk, issued_at=time.time() - 60)
    verdict = spam.assess(comment, token=token)
    Comment.objects.filter(pk=comment.pk).update(status=verdict.status, reason=verdict.reason)
    return comment


# Newsletter

CONFIRMED_SUBSCRIBER = "subscriber.demo@example.org"
PENDING_SUBSCRIBER = "pending.demo@example.org"


def _subscriber(email, *, confirmed):
    """A sign-up as subscribe() records it, without the confirmation email it queues. The
    confirmed one is paused, so no edition is ever addressed to it."""
    if Subscriber.objects.filter(email__iexact=email).exists():
        return False
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email=email,
        consent_at=now,
        consent_wording=NEWSLETTER_CONSENT,
        consent_source=CONSENT_SOURCE,
        paused=confirmed,
    )
    if confirmed:
        subscriber.confirm(now)
    return subscriber


# Reader questions

QUESTIONS = {
    "routine": {
        "question": "Is it worth taking vitamin D in winter?",
        "details": "This is a demo question. I work indoors and hardly see daylight between "
        "November and March.",
        "topic": "Everyday wellbeing",
    },
    "urgent": {
        "question": "Should I worry about chest pain when I run uphill?",
        "details": "This is a demo question, flagged by the red-flag list. I am in my fifties and "
        "it eases a few minutes after I stop.",
        "topic": "Heart and circulation",
    },
}


def _question(topics, *, question, details, topic):
    """A question as ask_question() stores it, flagged by the same red-flag list. No email
    address: nobody is asked to confirm one or told of the editors' decision."""
    flags = red_flags_in(question, details)
    now = timezone.now()
    return Question.objects.create(
        question=question,
        details=details,
        topic=topics.get(topic),
        consent_version=QUESTION_CONSENT,
        consented_at=now,
        created_at=now,
        flagged=bool(flags),
        red_flags=", ".join(flags)[: Question._meta.get_field("red_flags").max_length],
    )


# The experts' admin accounts

# Wagtail's own group for people who write pages (its first migration makes it): the expert can
# then edit the draft an accepted question becomes, and the Accept form gives no warning.
WRITERS_GROUP = "Editors"


# Wagtail's notification e-mails a user may turn off (UserProfile, Account → Notifications).
NOTIFICATIONS = (
    "submitted_notifications",
    "approved_notifications",
    "rejected_notifications",
    "updated_comments_notifications",
)


def quiet(user):
    """A demo account asks for none of Wagtail's notification e-mails, as its owner could in
    Account → Notifications: Wagtail's own notifiers then pass it over (its workflow
    submissions included), and an address given to it later stays unmailed until turned on."""
    profile = UserProfile.get_for_user(user)
    for name in NOTIFICATIONS:
        setattr(profile, name, False)
    profile.save(update_fields=NOTIFICATIONS)


def expert_username(person):
    return f"{person.slug}.demo"


def _expert_account(person):
    """An admin account for an expert, linked to their Person: what questions.editors.experts()
    offers on Accept (an active account with an address). Nobody can sign in with it: its
    password is unusable until an administrator sets one. Left alone when the expert already has
    an account or the username is taken (someone's own doing)."""
    User = get_user_model()
    username = expert_username(person)
    if person.user_id is not None or User.objects.filter(username=username).exists():
        return False
    first, _, last = person.name.partition(" ")
    user = User(
        username=username, email=f"{username}@example.org", first_name=first, last_name=last
    )
    user.set_unusable_password()
    user.save()
    quiet(user)
    group = Group.objects.filter(name=WRITERS_GROUP).first()
    if group is not None:  # an administrator may have removed it
        user.groups.add(group)
    person.user = user
    person.save(update_fields=["user"])
    return user
