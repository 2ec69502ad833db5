"""The database and the caches, from DATABASE_URL and REDIS_URL (docs/settings.md)."""

from pathlib import Path

import dj_database_url

from .env import VAR_DIR, env_bool, env_int, env_str, private_dir, private_file

# SQLite (the embedded default) gets WAL and IMMEDIATE transactions so concurrent writers queue
# behind a busy timeout instead of failing with "database is locked".
SQLITE_OPTIONS = {
    # secure_delete: what is erased or deleted is overwritten with zeros, not left in free space
    # of the file (docs/security.md, "Erasure").
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_env():
    default_url = f"sqlite:///{VAR_DIR / 'healthpress.sqlite3'}"
    config = dj_database_url.parse(env_str("DATABASE_URL") or default_url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        private_dir(VAR_DIR)
        database = Path(config["NAME"] or ":memory:")
        if database.parent.resolve() == VAR_DIR.resolve():
            # SQLite gives its -wal and -shm files the database file's mode: 0600 for all three.
            private_file(database)
            for suffix in ("-wal", "-shm"):
                if (side := Path(f"{database}{suffix}")).exists():
                    private_file(side)
    elif config["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", True
    ):
        # PostgreSQL spent more time planning the page's joins than running them (about 1 ms a
        # query here). Server-side binding lets psycopg prepare a statement it has seen
        # `prepare_threshold` times, so a warm app process plans each page query once. Turn it
        # off behind a connection pooler in transaction mode (PgBouncer before 1.21).
        config["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": 5,
            **config.get("OPTIONS", {}),
        }
    return config


def caches_from_env():
    """REDIS_URL selects Redis (shared by every app process); without it, local memory.

    The page cache has a cache of its own so that clearing it (when the topic navigation
    changes) leaves rate-limit counters and sessions alone; on Redis it uses the next database.
    """
    redis_url = env_str("REDIS_URL")
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            # Files, not process memory: every server process must see the same purges.
            "pages": {
                "BACKEND": "healthpress.pagecache.filestore.BoundedFileCache",
                "LOCATION": str(VAR_DIR / "pagecache"),
                "OPTIONS": {
                    "MAX_ENTRIES": 5000,
                    "MAX_BYTES": env_int("PAGE_CACHE_MAX_MB", 256) * 1024 * 1024,
                },
            },
        }
    pages_url = env_str("PAGE_CACHE_REDIS_URL") or redis_database(redis_url, offset=1)
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "hp",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": pages_url,
            "KEY_PREFIX": "hp",
            # A page cache that does not answer within a second is skipped: pages are rendered.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }


def redis_database(url, offset):
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{db + offset}"))
