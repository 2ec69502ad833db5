"""200 comments from 20 concurrent clients against a real server process: nothing lost."""

import os

import pytest

from bench import comment_load

pytestmark = pytest.mark.own_stack  # its own scratch databases, both kinds
PG_URL = os.environ.get("COMMENTS_LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_available():
    from healthpress.launch.dbcheck import reachable

    return reachable(PG_URL)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_200_comments_from_20_concurrent_clients_are_all_stored(kind):
    if kind == "postgresql" and not postgres_available():
        pytest.skip(f"no PostgreSQL at {PG_URL}")
    with comment_load.scratch_database(kind, PG_URL) as (url, folder):
        with comment_load.running_server(url, folder) as (port, article_id, log, _server):
            latencies, errors, _ = comment_load.post_comments(port, article_id, 20, 10)
            log.flush()
            log.seek(0)
            server_log = log.read()
        assert len(latencies) == 200
        assert errors == []
        assert "database is locked" not in server_log
        assert "Traceback" not in server_log
        assert comment_load.stored_comments(url, folder) == (200, 200)
