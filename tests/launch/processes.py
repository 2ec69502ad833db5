"""Launchers under test run in a session of their own; these find what is left of it (/proc)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAS_PROC = Path("/proc/self/stat").exists()


def session_members(session_id):
    """The live (not zombie) processes of the session, by pid."""
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # "pid (command) state ppid pgrp session ...": the command may hold spaces and parentheses.
        state, _ppid, _pgrp, session = stat.rsplit(")", 1)[1].split()[:4]
        if int(session) == session_id and state != "Z":
            members.append(int(entry.name))
    return members


def start_launcher(args, env):
    """Start `args` as the leader of a new session (its pid is the session's id)."""
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def gone_within(launcher, seconds):
    """True when the launcher and everything it started have exited within `seconds`."""

    def all_gone():
        if session_members(launcher.pid):
            return False
        # No live member left, so the launcher has exited: reap it (at once) for its returncode.
        # Polling before the look at /proc missed an exit between the two, now and then on a
        # busy machine (returncode None after a clean stop).
        launcher.wait()
        return True

    return wait_for(all_gone, seconds)


def kill_session(launcher):
    """Clean-up after a failed test: kill what the test started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(launcher.pid, signal.SIGKILL)
    launcher.wait()


def children_of(pid):
    return [p for p in session_members(pid) if p != pid and _parent(p) == pid]


def _parent(pid):
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def python(*args):
    return [sys.executable, *args]
