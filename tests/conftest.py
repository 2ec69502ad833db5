"""Shared fixtures: a site with a topic, an author and articles built through the real services.

How the suite runs (two passes, xdist workers, markers): docs/testing.md.
"""

import email
import email.policy
import itertools
import os
import socket
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from healthpress.articles.content import ArticleContent, paragraphs_to_html, save_article
from healthpress.core.site import ensure_home_page, get_or_create_topic
from healthpress.pagecache import memo
from healthpress.people.models import Person

BROWSER_TESTS = Path(__file__).parent / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Marks every test under tests/browser `browser` (the PostgreSQL pass leaves them out), and
    skips the `test_screenshot_*` ones unless SCREENSHOT_DIR is set (`make screenshot`)."""
    for item in items:
        if BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
        if item.name.startswith("test_screenshot") and not os.environ.get("SCREENSHOT_DIR"):
            # Skipped before its fixtures (a demo and a browser) are set up for nothing.
            item.add_marker(pytest.mark.skip(reason="set SCREENSHOT_DIR to take screenshots"))


@pytest.fixture(scope="module", autouse=True)
def fixed_redis_databases(request):
    """A test module that names a Redis database of its own in a module-level REDIS (tests/
    pagecache, the scale-out test) clears and counts whole databases: while one process is in
    such a module, any other waits at its door. The lock is the machine's, not the run's: another
    checkout's run on the machine (or `make test-sqlite` beside `make test-postgres`) runs
    tests/pagecache on the same databases of the same Redis.
    Module-wide, because a module-scoped fixture (the scale-out servers) outlives each test.
    (xdist's own `--dist loadgroup` does nothing with pytest 9.2: it renames node ids through an
    attribute pytest no longer reads.)"""
    if not getattr(request.module, "REDIS", None):
        yield
        return
    import fcntl
    import tempfile

    path = Path(tempfile.gettempdir()) / "healthpress-fixed-redis-databases.lock"
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


def section(heading, explanation="Why it happens.", advice="What to do about it."):
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "explanation": paragraphs_to_html([explanation]),
            "advice": paragraphs_to_html([advice]) if advice else "",
        },
    }


def make_article_content(question="Why do my legs cramp at night?", sections=3, **extra):
    body = [section(f"Cause number {n}") for n in range(1, sections + 1)]
    body += extra.pop("more_blocks", [])
    return ArticleContent(
        question=question,
        short_answer=extra.pop("short_answer", "Mostly tired muscles."),
        body=body,
        **extra,
    )


_test_days = itertools.count(1)


@pytest.fixture(autouse=True)
def rate_limit_windows_begin_with_the_test(monkeypatch):
    """Rate limits count hits in fixed windows of the clock (core/ratelimit.py): a test whose
    hits straddle the turn of a minute saw its count start again and failed now and then, more
    often on a busy machine. Here each test's rate-limit clock runs from the start of a day of
    its own, so every window of a day or less begins with the test and none is shared with
    another test."""
    from healthpress.core import ratelimit

    real = time.time
    shift = real() % 86400 - next(_test_days) * 86400
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: real() - shift))


@pytest.fixture(autouse=True)
def fresh_memo():
    """Values kept until the next purge (pagecache/memo.py) outlive a rolled-back test otherwise."""
    memo.forget()
    yield
    memo.forget()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """Rows a whole module reads, made once instead of per test: a module-scoped fixture makes
    them inside `with module_transaction():`. They live in a transaction that stays open for the
    module and is rolled back at its end; each test's own transaction is a savepoint inside it,
    so what a test changes is undone after it as usual. Only for modules without transactional
    tests (those would commit through it), and the rows stay for every test of the module, even
    those that do not ask for them."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    yield django_db_blocker.unblock
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


class BrowserLikeClient(Client):
    """Posts a dict of fields as a browser posts a form without files (urlencoded), not as
    multipart the way Django's test client does: the public forms refuse multipart (415)."""

    def post(self, path, data=None, content_type=None, **extra):
        data = {} if data is None else data
        has_files = isinstance(data, dict) and any(hasattr(v, "read") for v in data.values())
        if content_type is None and isinstance(data, dict) and not has_files:
            data, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        return super().post(path, data, content_type or MULTIPART_CONTENT, **extra)


@pytest.fixture
def client():
    return BrowserLikeClient()


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (tests/settings keep it off), empty before and after."""
    settings.PAGE_CACHE_SECONDS = 3600
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): change()` runs what the change defers to its commit (page-cache purges,
    emails), as the real commit would; the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def topic(home):
    return get_or_create_topic("Muscles, bones and joints")[0]


@pytest.fixture
def author(db):
    return Person.objects.create(
        name="Dana Okafor",
        credentials="MD",
        job_title="Senior Expert",
        role="Contributing Writer",
        bio="Sports physician.",
    )


@pytest.fixture
def make_article(topic, author):
    def make(question="Why do my legs cramp at night?", sections=3, publish=True, **extra):
        content = make_article_content(question, sections, **extra)
        page, _ = save_article(content, topic=topic, author=author, publish=publish)
        return page

    return make


class SmtpSink:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts."""

    def __init__(self):
        self.messages = []  # email.message.EmailMessage, in arrival order
        self.reject_next = []  # SMTP status lines to answer the next DATA commands with

    async def handle_DATA(self, server, session, envelope):
        if self.reject_next:
            return self.reject_next.pop(0)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@pytest.fixture
def smtp_server(settings):
    """Point Django's SMTP backend at a real local SMTP server for the test's duration."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    # aiosmtpd checks its own port once started, so it needs a real one rather than 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    sink.port = settings.EMAIL_PORT
    yield sink
    controller.stop()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads and renditions in a folder of the test's own. Wagtail keeps renditions in the
    cache too, keyed by image id and file hash: rows a rolled-back test made must not be found
    there by the next one."""
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = str(tmp_path / "media")
    rendition_cache = get_image_model().get_rendition_model().cache_backend
    rendition_cache.clear()
    yield tmp_path / "media"
    rendition_cache.clear()


@pytest.fixture
def make_image(media_root, tmp_path):
    """An uploaded Image, through the same path as the importer's (core/images.py)."""
    from healthpress.core.images import upload_image
    from tests.image_files import picture

    counter = itertools.count(1)

    def make(title="A calf muscle", width=480, height=300, colour=None):
        n = next(counter)
        path = tmp_path / f"picture-{n}.png"
        picture(width, height, colour or (40 + n * 20 % 200, 120, 200)).save(path, "PNG")
        return upload_image(path, title=title)[0]

    return make
