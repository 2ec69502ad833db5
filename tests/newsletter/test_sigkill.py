"""SIGKILL in the middle of a run: the sender is a real subprocess (`manage.py send_newsletter`)
on a file SQLite database (and PostgreSQL when DATABASE_URL points at one), mailing the real
aiosmtpd server; it is killed with kill -9 mid-run and run again."""

import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 150


def run_python(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def base_env(database_url, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.newsletter.subprocess_settings",
        "DATABASE_URL": database_url,
        "HEALTHPRESS_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A migrated file database, made once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("newsletter-db")
    path = folder / "template.sqlite3"
    result = run_python(["manage.py", "migrate", "-v0"], base_env(f"sqlite:///{path}", folder))
    assert result.returncode == 0, result.stderr
    return path


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory):
    url = postgres_url()
    if not url:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    import psycopg

    base, _, _ = url.rpartition("/")
    template = f"hp_newsletter_kill_tmpl_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template}"')
        conn.execute(f'CREATE DATABASE "{template}"')
    folder = tmp_path_factory.mktemp("newsletter-pg")
    result = run_python(["manage.py", "migrate", "-v0"], base_env(f"{base}/{template}", folder))
    assert result.returncode == 0, result.stderr
    yield base, template
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


# The SQLite copy is the same whatever the pass: only the SQLite pass runs it (own_stack).
@pytest.fixture(params=[pytest.param("sqlite", marks=pytest.mark.own_stack), "postgres"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "newsletter.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    base, template = request.getfixturevalue("migrated_postgres")
    name = f"hp_newsletter_kill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sender_env(database_url, tmp_path, smtp_server):
    env = {**base_env(database_url, tmp_path), "EMAIL_PORT": str(smtp_server.port)}
    result = run_python(["-m", "tests.newsletter.seed", "seed", str(SUBSCRIBERS)], env)
    assert result.returncode == 0, result.stderr
    return env


def start_sender(env, rate, connections):
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_newsletter", "--no-progress"],
        cwd=ROOT,
        env={
            **env,
            "NEWSLETTER_MAX_PER_SECOND": str(rate),
            "NEWSLETTER_BATCH_SIZE": "20",
            "NEWSLETTER_CONNECTIONS": str(connections),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def per_recipient(sink):
    raw = collections.Counter(m["X-Envelope-To"] for m in sink.messages)
    distinct = collections.Counter(
        m["X-Envelope-To"] for m in {m["Message-ID"]: m for m in sink.messages}.values()
    )
    return raw, distinct


def report(env):
    result = run_python(["-m", "tests.newsletter.seed", "report"], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def finish_and_check(env, sink):
    second = run_python(["manage.py", "send_newsletter", "--no-progress"], env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "still pending 0" in second.stdout
    state = report(env)
    assert state["deliveries"] == {"sent": SUBSCRIBERS}
    assert state["open"] == 0 and state["editions"] == 1
    return per_recipient(sink)


def test_killed_while_the_server_holds_a_message_resumes_with_exactly_one_each(
    sender_env, smtp_server
):
    """Deterministic: SIGKILL lands while the sender waits for the server's answer to DATA, and
    the server drops that message (its client vanished). Rows claimed but not sent, and the one
    in flight, are sent by the next run; nobody gets two and nobody is missed."""
    killed_at = 40
    process = None
    handle = type(smtp_server).handle_DATA

    async def kill_mid_message(server, session, envelope):
        if len(smtp_server.messages) == killed_at and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return "451 4.3.0 Client went away"
        return await handle(smtp_server, server, session, envelope)

    smtp_server.handle_DATA = kill_mid_message
    process = start_sender(sender_env, rate=0, connections=1)
    out, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, out + err
    assert len(smtp_server.messages) == killed_at
    del smtp_server.handle_DATA

    raw, distinct = finish_and_check(sender_env, smtp_server)
    assert len(raw) == SUBSCRIBERS
    assert set(raw.values()) == {1}


@pytest.mark.parametrize("connections", [1, 4])
def test_killed_at_a_random_moment_resumes_without_mailing_anyone_twice(
    sender_env, smtp_server, connections
):
    """kill -9 at whatever moment the run has reached, then run again. Every subscriber ends
    with exactly one message. The documented edge (a kill between the server's 250 and the
    commit) can give a subscriber a second copy with the same Message-ID: at most one such
    subscriber per connection, never a third copy."""
    process = start_sender(sender_env, rate=150, connections=connections)
    deadline = time.monotonic() + 30
    while len(smtp_server.messages) < SUBSCRIBERS // 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    # Right after the server counted a message is the worst moment (the sender is likely
    # between the 250 and its commit); a random delay makes the kill land anywhere.
    time.sleep(random.uniform(0, 0.05))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()
    before = len(smtp_server.messages)
    assert 0 < before < SUBSCRIBERS

    raw, distinct = finish_and_check(sender_env, smtp_server)
    assert len(distinct) == SUBSCRIBERS and set(distinct.values()) == {1}
    duplicates = {address: n for address, n in raw.items() if n > 1}
    print(f"killed after {before} messages; copies resent after the kill: {duplicates}")
    assert len(duplicates) <= connections and set(duplicates.values()) <= {2}
    # Each duplicate is a resend of a row that was in flight at the kill, and is counted so.
    state = report(sender_env)
    assert state["deliveries"] == {"sent": SUBSCRIBERS}
