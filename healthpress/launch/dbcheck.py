"""Exit 0 when the PostgreSQL or Redis server named by the URL answers (used by `make test`)."""

import sys

import dj_database_url


def redis_reachable(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except Exception as exc:  # any failure means "not reachable"; the message says why
        print(f"Redis not reachable: {exc}", file=sys.stderr)
        return False


def reachable(url):
    if url.startswith(("redis://", "rediss://")):
        return redis_reachable(url)
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return False
    try:
        import psycopg

        psycopg.connect(
            dbname=config["NAME"],
            user=config["USER"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            password=config["PASSWORD"] or None,
            connect_timeout=3,
        ).close()
    except Exception as exc:  # any failure means "not reachable"; the message says why
        print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in {"-h", "--help"}:
        print("usage: python -m healthpress.launch.dbcheck DATABASE_URL|REDIS_URL")
        sys.exit(2)
    sys.exit(0 if reachable(sys.argv[1]) else 1)
