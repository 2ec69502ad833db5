"""The database, the caches and the file storage, from DATABASE_URL, REDIS_URL and
AWS_STORAGE_BUCKET_NAME (docs/settings.md)."""

from pathlib import Path
from urllib.parse import urlsplit

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


def storages_from_env():
    """Where uploads and renditions live (docs/deploy.md, "Images on object storage").

    The local MEDIA_ROOT by default. With AWS_STORAGE_BUCKET_NAME, an S3-compatible bucket
    (django-storages; S3_ENDPOINT_URL for one that is not AWS), so web processes on several
    machines serve the same files: originals and documents through expiring signed links (they
    stay private), renditions (`images/`) at plain, long-cached addresses for every reader.
    Credentials come the usual boto3 way (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the
    machine's role)."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        local = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        return {"default": local, "renditions": local}
    common = {
        "bucket_name": bucket,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "file_overwrite": False,
        "signature_version": "s3v4",  # what every AWS region accepts for signed links
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "querystring_auth": True, "querystring_expire": 3600},
        },
        "renditions": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "querystring_auth": False,
                "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
                # A rendition's name changes with its content, so it never needs revalidating.
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }


def media_origin():
    """The origin pages load renditions (and, through a redirect, video files) from when they
    are not on this site: for the Content-Security-Policy. "" for local storage."""
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        return ""
    if env_str("AWS_S3_CUSTOM_DOMAIN"):
        return "https://" + env_str("AWS_S3_CUSTOM_DOMAIN").split("/")[0]
    if env_str("S3_ENDPOINT_URL"):
        endpoint = urlsplit(env_str("S3_ENDPOINT_URL"))
        return f"{endpoint.scheme}://{endpoint.netloc}"
    region = env_str("AWS_S3_REGION_NAME")
    host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    return f"https://{env_str('AWS_STORAGE_BUCKET_NAME')}.{host}"
