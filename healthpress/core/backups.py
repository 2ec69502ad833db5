"""A consistent copy of the database while the site runs, and putting one back.

SQLite: the online backup API (a plain copy of a database in WAL mode can be torn). PostgreSQL:
pg_dump's custom format, put back with pg_restore --clean. Either way the copy is created 0600:
it holds password hashes, sessions and the emails of commenters and subscribers. After a restore
the page cache is purged, since every page may have changed behind Django's back.

The database password never goes on pg_dump's or pg_restore's command line, which `ps` shows to
every user of the machine: the tools get it from a password file of their own (PGPASSFILE), 0600
in a private temporary directory and removed once they have finished. A file rather than
PGPASSWORD because PostgreSQL's documentation advises against the variable (some systems show a
process's environment to other users).
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _database():
    settings_dict = connections["default"].settings_dict
    return connections["default"].vendor, settings_dict


def _libpq_url(settings_dict):
    """The database's address for libpq, without the password (see _client_environment)."""
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "")
    auth = f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{auth}{host}:{port}/{quote(settings_dict['NAME'])}"


@contextmanager
def _client_environment(settings_dict):
    """The environment for a PostgreSQL client tool: this process's, plus PGPASSFILE naming a
    temporary password file (0600, in a 0700 directory) that is removed when the block ends."""
    env = dict(os.environ)
    password = settings_dict.get("PASSWORD") or ""
    if not password:
        yield env  # trust, peer or the operator's own ~/.pgpass or PGPASSWORD
        return
    if "\n" in password or "\r" in password:
        raise BackupError("the database password has a line break, which libpq cannot read")
    env.pop("PGPASSWORD", None)  # it would win over the file
    # One line matching any host, port, database and user: the tool makes one connection.
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    with tempfile.TemporaryDirectory(prefix="healthpress-pg-") as directory:
        path = Path(directory) / "pgpass"
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(f"*:*:*:*:{escaped}\n")
        env["PGPASSFILE"] = str(path)
        yield env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client tools")
    return path


def backup(target):
    """Write a consistent copy of the database to `target` (a new file, mode 0600)."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name")
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    vendor, settings_dict = _database()
    try:
        if vendor == "sqlite":
            with sqlite3.connect(settings_dict["NAME"]) as live, sqlite3.connect(target) as copy:
                live.backup(copy)
        elif vendor == "postgresql":
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
            _run([*command, _libpq_url(settings_dict)], settings_dict)
        else:
            raise BackupError(f"no backup for the {vendor} database")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def restore(source):
    """Replace the database's contents with the copy in `source`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    vendor, settings_dict = _database()
    connections["default"].close()
    if vendor == "sqlite":
        try:
            with sqlite3.connect(source) as copy:
                if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError("integrity check failed")
                with sqlite3.connect(settings_dict["NAME"]) as live:
                    copy.backup(live)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a sound SQLite backup ({error})") from error
    elif vendor == "postgresql":
        command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        _run([*command, "--dbname", _libpq_url(settings_dict), str(source)], settings_dict)
    else:
        raise BackupError(f"no restore for the {vendor} database")
    from healthpress.pagecache.purge import purge_all_now

    purge_all_now()


def _run(command, settings_dict):
    with _client_environment(settings_dict) as env:
        result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")
