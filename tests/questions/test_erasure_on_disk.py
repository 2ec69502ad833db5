"""After `question_personal_data erase`, the question's words are nowhere in the database's
files (issue 24, "Erasure as promised").

The question goes in through the real /ask/ flow (the matches step, which searches the site,
then "Send my question"), its confirmation task is queued in and run from the database task
backend, and the erase command runs, each in a process of its own against a SQLite database in
a file, as on a server, while another connection stays open as a web process's would. Between
the steps this test reads the raw bytes of the database file and its write-ahead log: the words
are there after asking, and gone after erasing. It fails without `secure_delete` (the old record
stays in the page's free space; the library's default is forced off, as most builds have it),
without the checkpoint (the pages written before the erasure stay in the `-wal` file), and if
the search's word counts kept what the matching step searched with.
"""

import os
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from healthpress.questions.models import Question

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite's files; PostgreSQL's VACUUM is described in docs/security.md",
    ),
]

ROOT = Path(__file__).resolve().parents[2]

SETTINGS = """
import sqlite3
from django.db.backends.sqlite3 import base

from healthpress.settings.test import *  # noqa: F403

# As in production: tasks are stored in the database and run by a worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# Some SQLite builds (Debian's) zero deleted content by default, most do not: every connection
# starts with secure_delete off here, so only the project's own setting can turn it on.
def connect_as_most_builds(*args, **kwargs):
    connection = sqlite3.connect(*args, **kwargs)
    connection.execute("PRAGMA secure_delete=OFF")
    return connection


base.Database.connect = connect_as_most_builds
"""

ASK = """
import sys, time
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from healthpress.core.fill_token import fill_token

setup_test_environment()
question, details, email = sys.argv[1:4]
client = Client(HTTP_SEC_FETCH_SITE="same-origin")
form = {"question": question, "details": details, "topic": "", "email": email, "consent": "1",
        "website": "", "started": fill_token("ask", time.time() - 60)}
urlencoded = "application/x-www-form-urlencoded"
from urllib.parse import urlencode
checked = client.post("/ask/", urlencode({**form, "action": "check"}), urlencoded)
assert checked.status_code == 200, checked.status_code
sent = client.post("/ask/", urlencode({**form, "action": "ask"}), urlencoded)
assert sent.status_code == 303, sent.status_code
call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
from django.core import mail
assert len(mail.outbox) == 1, mail.outbox  # the confirmation went out from the worker
"""

ERASE = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("question_personal_data", "erase", sys.argv[1], "--yes")
"""


def run(script, *args, env):
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def occurrences(database, needle):
    """How many times `needle` is in the database file and its write-ahead log, as bytes."""
    found = 0
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            found += path.read_bytes().count(needle.encode())
    return found


@pytest.fixture
def database_file(db, tmp_path):
    """A migrated SQLite database in a file: the test database's schema and the rows its
    migrations made, dumped through the test's own connection (quicker than migrating again)."""
    path = tmp_path / "healthpress.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        target.executescript("\n".join(connection.connection.iterdump()))
    (tmp_path / "disk_settings.py").write_text(SETTINGS)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{path}",
        HEALTHPRESS_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="disk_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
    )
    return path, env


def test_after_erasure_the_question_s_words_are_nowhere_in_the_database_files(database_file):
    path, env = database_file
    marker = f"zq{uuid.uuid4().hex[:12]}"
    question = f"Is {marker} rash catching?"
    details = f"My {marker}-detail started last week."
    email = f"{marker}@example.org"
    # A connection that stays open, as the web server's do: the last one to close would
    # checkpoint the log by itself and hide a missing checkpoint.
    web = sqlite3.connect(path)
    web.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        run(ASK, question, details, email, env=env)
        assert occurrences(path, marker) > 0  # asked: the words are on disk (the test sees them)
        table = DBTaskResult._meta.db_table
        args = web.execute(f"SELECT args_kwargs FROM {table}").fetchall()
        assert [row[0] for row in args] == ['{"args": [1], "kwargs": {}}']  # an id, no text

        out = run(ERASE, email, env=env)
        assert "Erased the words, details and address of 1 question(s)" in out
        assert occurrences(path, marker) == 0
        assert Path(f"{path}-wal").stat().st_size == 0  # checkpointed and truncated
        table = Question._meta.db_table
        row = web.execute(f"SELECT question, status, erased_at FROM {table}").fetchone()
        assert row[0] == "" and row[1] == "erased" and row[2]  # the row stays, tied to nobody
    finally:
        web.close()


SUBSCRIBE = """
import sys
import django
django.setup()
from healthpress.newsletter.models import Subscriber
Subscriber.objects.create(email=sys.argv[1], consent_source="the newsletter box")
"""

ERASE_SUBSCRIBER = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("newsletter_data", "erase", sys.argv[1], "--yes")
"""


def test_the_newsletter_s_erase_takes_the_address_out_of_the_files_too(database_file):
    """Every personal-data command checkpoints (core/personal_data.py), not only this app's."""
    path, env = database_file
    email = f"zq{uuid.uuid4().hex[:12]}@example.org"
    web = sqlite3.connect(path)
    web.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        run(SUBSCRIBE, email, env=env)
        assert occurrences(path, email) > 0
        web.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads it in WAL mode now
        assert "Erased everything stored for" in run(ERASE_SUBSCRIBER, email, env=env)
        assert occurrences(path, email) == 0
        assert Path(f"{path}-wal").stat().st_size == 0
    finally:
        web.close()
