"""Making erased data leave the database's files, not only its tables.

An UPDATE or DELETE removes a value from what queries see; the bytes can stay on disk. SQLite
runs with `secure_delete` on (SQLITE_OPTIONS in settings/stores.py), so freed space in the
database file is overwritten with zeros, but in WAL mode the pages written before the erasure
stay in the `-wal` file until a checkpoint copies the new pages back and the log is reset.
`flush_erased()` does that checkpoint; every command that erases on request calls it once
committed. PostgreSQL keeps old row versions until VACUUM reclaims them (autovacuum does, within
minutes on a busy table): docs/security.md, "Erasure", says what that means and for how long.
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@dataclass
class Flushed:
    done: bool  # False: another connection was reading, pages may still be in the log
    pages: int  # pages the log held


def flush_erased(using=DEFAULT_DB_ALIAS):
    """Checkpoint SQLite's write-ahead log into the database file and truncate it to zero bytes,
    so the pages holding erased values are gone from it. Returns a Flushed, or None when there is
    nothing to say now: not SQLite, a database in memory (no files), or a transaction still open
    (the checkpoint then runs once it commits: before, the erasure is not in the file yet)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _checkpoint(connection), using=using)
        return None
    return _checkpoint(connection)


def _checkpoint(connection):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, log_pages, _checkpointed = cursor.fetchone()
    return Flushed(done=not busy, pages=max(log_pages, 0))
