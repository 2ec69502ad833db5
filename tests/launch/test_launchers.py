"""The real launchers: `make run`'s (devserver) and `make serve`'s (serve) stop the server and the
task worker they started when they are stopped, whatever stops them (Ctrl-C, `kill`, a closed
terminal), and `make run`'s worker tells each task in one short line.

They run on a SQLite file of their own in a temporary var/ directory, holding only the task
worker's table (migrating everything would take most of a minute).
"""

import os
import signal
import socket
import subprocess

import pytest
from django.db.utils import ConnectionHandler
from django_tasks_db.models import DBTaskResult

from .processes import (
    HAS_PROC,
    ROOT,
    children_of,
    gone_within,
    kill_session,
    python,
    start_launcher,
    wait_for,
)

pytestmark = [
    pytest.mark.skipif(not HAS_PROC, reason="reads the process table in /proc"),
    # The launched processes use a SQLite file of their own whatever the suite's stack, so the
    # PostgreSQL pass would run the same thing again.
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="the same on every stack: SQLite pass only"
    ),
]
STARTUP_SECONDS = 90  # a cold Django start on a busy two-core machine
STOP_SECONDS = 20  # the launcher's own bound is 10 s (15 s for serve), then SIGKILL


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory, django_db_blocker):
    """A var/ directory whose database holds the task worker's table, and nothing else."""
    path = tmp_path_factory.mktemp("var")
    name = str(path / "healthpress.sqlite3")
    database = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}}
    )
    with django_db_blocker.unblock():  # a database of its own, not the test database
        with database["default"].schema_editor() as editor:
            editor.create_model(DBTaskResult)
        database.close_all()
    return path


@pytest.fixture
def env(var_dir):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "PORT"}
    }
    environ.update(HEALTHPRESS_VAR_DIR=str(var_dir), LOG_LEVEL="WARNING")
    return environ


def test_make_run_launcher_stops_server_and_worker_on_sigterm(env):
    port = free_port()
    launcher = start_launcher(
        python("-m", "healthpress.launch.devserver", "--port", str(port)), env
    )
    try:
        assert wait_for(lambda: answers(port), STARTUP_SECONDS), launcher.stdout.read()
        assert len(children_of(launcher.pid)) == 2  # the server and the worker

        launcher.send_signal(signal.SIGTERM)  # `kill`, as to a background `make run`

        assert gone_within(launcher, STOP_SECONDS), "the server or the worker outlived the launcher"
        assert launcher.returncode == 0
    finally:
        kill_session(launcher)


def test_make_run_launcher_hung_up_while_starting_leaves_nothing_running(env):
    port = free_port()
    launcher = start_launcher(
        python("-m", "healthpress.launch.devserver", "--port", str(port)), env
    )
    try:
        assert wait_for(lambda: children_of(launcher.pid), STARTUP_SECONDS)

        launcher.send_signal(signal.SIGHUP)  # the terminal closed before the server was up

        assert gone_within(launcher, STOP_SECONDS), "a child outlived the launcher"
        assert not answers(port)
    finally:
        kill_session(launcher)


def test_make_serve_launcher_stops_granian_and_the_worker_on_sighup(env):
    port = free_port()
    args = python("-m", "healthpress.launch.serve", "--port", str(port), "--workers", "1")
    launcher = start_launcher(args, env)
    try:
        assert wait_for(lambda: answers(port), STARTUP_SECONDS), launcher.stdout.read()

        launcher.send_signal(signal.SIGHUP)

        assert gone_within(launcher, STOP_SECONDS), "granian or the worker outlived the launcher"
    finally:
        kill_session(launcher)


# Two tasks queued, then the worker's entry point in the same process (one Django start, not two).
QUEUE_AND_WORK = """
import django
django.setup()
from tests.launch.tasks import fails, succeeds
succeeds.enqueue()
fails.enqueue()
from healthpress.launch.worker import main
main(["--batch", "--no-reload"])
"""


def test_make_run_worker_tells_a_task_in_one_line_and_a_failure_in_full(env):
    result = subprocess.run(
        python("-c", QUEUE_AND_WORK),
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "healthpress.settings.dev"},
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("task done: ")] == [
        next(line for line in lines if "tests.launch.tasks.succeeds" in line)
    ]
    assert lines[-1] == "Background tasks: 1 done, 1 failed (above)."
    assert "state=RUNNING" not in result.stdout + result.stderr  # no started lines
    assert "state=SUCCESSFUL" not in result.stdout + result.stderr  # nor the long done ones
    # The failure in full: its path and the traceback down to the exception.
    assert "path=tests.launch.tasks.fails state=FAILED" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: this task fails on purpose" in result.stderr
