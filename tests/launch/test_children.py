"""Children (healthpress/launch/children.py): what the launchers start, a stop signal stops, in
whatever state the launcher is. Small launchers of sleeping children, so these run in seconds;
test_launchers.py runs the real ones."""

import signal
import textwrap

import pytest

from .processes import HAS_PROC, gone_within, kill_session, python, start_launcher

pytestmark = pytest.mark.skipif(not HAS_PROC, reason="reads the process table in /proc")

SLEEPER = "import time; time.sleep(120)"
# A child that ignores SIGTERM: only the kill after the grace period ends it.
STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('stubborn ready', flush=True); time.sleep(120)"
)

LAUNCHER = """
import sys
from healthpress.launch.children import Children

with Children(grace=1) as children:
    children.start([sys.executable, "-c", {sleeper!r}])
    children.start([sys.executable, "-c", {stubborn!r}])
    print("started", flush=True)
    children.start([sys.executable, "-c", {sleeper!r}]).wait()
"""


def launcher_script(template=LAUNCHER):
    return textwrap.dedent(template).format(sleeper=SLEEPER, stubborn=STUBBORN)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_to_the_launcher_stops_every_child(signum):
    launcher = start_launcher(python("-c", launcher_script()), env=None)
    try:
        lines = iter(launcher.stdout.readline, "")
        assert "started" in next(line for line in lines if "started" in line)
        assert "stubborn ready" in next(line for line in lines if "stubborn" in line)

        launcher.send_signal(signum)

        assert gone_within(launcher, 10), "a child of the launcher outlived it"
    finally:
        kill_session(launcher)


def test_a_signal_while_starting_leaves_no_child_and_starts_no_more():
    script = """
    import os, signal, sys
    from healthpress.launch.children import Children

    with Children(grace=1) as children:
        first = children.start([sys.executable, "-c", {sleeper!r}])
        os.kill(os.getpid(), signal.SIGTERM)  # kill arrives between two starts
        second = children.start([sys.executable, "-c", {sleeper!r}])
        print("second started:", second is not None, flush=True)
    print("first stopped by:", first.wait(), flush=True)
    """
    launcher = start_launcher(python("-c", launcher_script(script)), env=None)
    try:
        assert gone_within(launcher, 10)
        output = launcher.stdout.read()
        assert "second started: False" in output
        assert f"first stopped by: {-signal.SIGTERM}" in output
    finally:
        kill_session(launcher)


def test_exit_status_is_a_shells_for_a_child_and_success_for_a_stop_asked_for():
    from healthpress.launch.children import Children

    children = Children()
    assert [children.exit_status(code) for code in (0, 3, -signal.SIGKILL)] == [0, 3, 137]
    children.stopped_by = signal.SIGHUP  # the launcher was told to stop
    assert children.exit_status(-signal.SIGTERM) == 0
