"""Data at rest: var/ and what is in it are private to the service's user, and `backup` /
`restore` make a round trip on the real database (SQLite, and PostgreSQL where it answers)."""

import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from healthpress.core import backups
from healthpress.launch.dbcheck import reachable
from tests.core.live_site import ROOT

PG = "postgres://postgres@127.0.0.1:5432/postgres"
pytestmark = pytest.mark.own_stack  # a scratch database of each kind


def run(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
    )


def names(env):
    code = (
        "from healthpress.people.models import Person; "
        "print(sorted(Person.objects.values_list('name', flat=True)))"
    )
    return run(env, "shell", "--no-imports", "-c", code).stdout.strip().splitlines()[-1]


def add_person(env, name):
    code = f"from healthpress.people.models import Person; Person.objects.create(name={name!r})"
    run(env, "shell", "--no-imports", "-c", code)


@pytest.fixture(params=["sqlite", "postgresql"])
def stack(request, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="healthpress.settings.dev",
        HEALTHPRESS_VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="CRITICAL",
    )
    name = f"hp_backup_{os.getpid()}"
    if request.param == "postgresql":
        if not reachable(PG):
            pytest.skip(f"no PostgreSQL at {PG}")
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    old_umask = os.umask(0o022)  # as a careless shell would have it
    try:
        run(env, "migrate", "-v0")
    finally:
        os.umask(old_umask)
    yield request.param, env
    if request.param == "postgresql":
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name])


def test_backup_then_restore_undoes_the_changes_since_and_nothing_else(stack, tmp_path):
    kind, env = stack
    add_person(env, "Dana Okafor")
    copy = tmp_path / "healthpress.backup"
    run(env, "backup", str(copy))
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    add_person(env, "Added After The Backup")
    assert names(env) == "['Added After The Backup', 'Dana Okafor']"
    run(env, "restore", "--yes", str(copy))
    assert names(env) == "['Dana Okafor']"

    again = run(env, "backup", str(copy), check=False)  # never overwrites a backup
    assert again.returncode == 1 and "exists already" in again.stderr
    junk = tmp_path / "not-a-backup"
    junk.write_text("<script>alert(1)</script>")
    refused = run(env, "restore", "--yes", str(junk), check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert names(env) == "['Dana Okafor']"  # a failed restore changes nothing

    if kind == "sqlite":
        var = tmp_path / "var"
        assert stat.S_IMODE(var.stat().st_mode) == 0o700
        for path in var.rglob("*"):
            expected = 0o700 if path.is_dir() else 0o600
            assert stat.S_IMODE(path.stat().st_mode) == expected, path


class FakePostgres:
    """A local server that speaks just enough of PostgreSQL's protocol to ask the real pg_dump
    for its password in clear text and write it down, then refuse it. With the local
    PostgreSQL on trust authentication, this is how a test sees which password libpq sends."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.passwords = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.listener.settimeout(10)
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            read = connection.makefile("rb")
            while True:  # SSL and GSS encryption requests are declined; then the startup
                length, code = struct.unpack("!ii", read.read(8))
                if code not in (80877103, 80877104):
                    read.read(length - 8)
                    break
                connection.sendall(b"N")
            connection.sendall(b"R" + struct.pack("!ii", 8, 3))  # cleartext password, please
            kind, length = read.read(1), struct.unpack("!i", read.read(4))[0]
            if kind == b"p":
                self.passwords.append(read.read(length - 4).rstrip(b"\0").decode())
            error = b"SFATAL\0C28P01\0Mpassword authentication failed (fake server)\0\0"
            connection.sendall(b"E" + struct.pack("!i", len(error) + 4) + error)

    def close(self):
        self.listener.close()
        self.thread.join(5)


PASSWORD = "s3cret:with\\colon and spaces"


def test_pg_dump_gets_the_password_from_a_file_never_on_its_command_line(tmp_path, monkeypatch):
    """The real pg_dump, against a server that asks for the password: it arrives intact
    (escaping included), from a 0600 password file that is gone afterwards, while the command
    line, which `ps` shows to everyone, never holds it."""
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    server = FakePostgres()
    settings_dict = {
        "NAME": "healthpress",
        "USER": "healthpress",
        "PASSWORD": PASSWORD,
        "HOST": "127.0.0.1",
        "PORT": server.port,
    }
    monkeypatch.setattr(backups, "_database", lambda: ("postgresql", settings_dict))
    monkeypatch.setenv("PGPASSWORD", "the-wrong-one")  # the file wins: this is dropped
    calls, real_run = [], subprocess.run

    def run_and_look(command, **kwargs):
        env = kwargs.get("env") or dict(os.environ)
        passfile = Path(env.get("PGPASSFILE", "/nonexistent"))
        mode = stat.S_IMODE(passfile.stat().st_mode) if passfile.exists() else None
        calls.append((command, env, mode, passfile))
        return real_run(command, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", run_and_look)
    try:
        with pytest.raises(backups.BackupError, match="fake server"):
            backups.backup(tmp_path / "copy.backup")
    finally:
        server.close()
    assert server.passwords == [PASSWORD]
    [(command, env, mode, passfile)] = calls
    assert not any("s3cret" in part or "colon" in part for part in command), command
    assert "PGPASSWORD" not in env
    assert mode == 0o600
    assert not passfile.exists() and not passfile.parent.exists()
    assert not (tmp_path / "copy.backup").exists()


def test_pg_restore_gets_no_password_on_its_command_line(tmp_path, monkeypatch):
    settings_dict = {"NAME": "hp", "USER": "hp", "PASSWORD": PASSWORD, "HOST": "db", "PORT": ""}
    monkeypatch.setattr(backups, "_database", lambda: ("postgresql", settings_dict))
    monkeypatch.setattr(backups, "_tool", lambda name: name)
    monkeypatch.setattr(backups.connections["default"], "close", lambda: None)
    monkeypatch.setattr("healthpress.pagecache.purge.purge_all_now", lambda: None)
    seen = []

    def run(command, **kwargs):
        passfile = (kwargs.get("env") or {}).get("PGPASSFILE")
        seen.append((command, passfile and Path(passfile).read_text()))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backups.subprocess, "run", run)
    source = tmp_path / "copy.backup"
    source.write_bytes(b"PGDMP")
    backups.restore(source)
    [(command, passfile_text)] = seen
    assert command[:2] == ["pg_restore", "--clean"]
    assert "postgresql://hp@db:5432/hp" in command
    assert not any("s3cret" in part for part in command), command
    assert passfile_text == "*:*:*:*:s3cret\\:with\\\\colon and spaces\n"
