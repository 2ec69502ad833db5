"""Data at rest: var/ and what is in it are private to the service's user, and `backup` /
`restore` make a round trip on the real database (SQLite, and PostgreSQL where it answers)."""

import os
import stat
import subprocess
import sys

import pytest

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
