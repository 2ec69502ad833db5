"""Wagtail's search tables end exactly as Wagtail's own migrations make them, whether this
app's migrations run on an empty database or on one at the last release's head (where
search.0002 had recreated Wagtail's SQLite FTS5 table with the Porter stemmer and search.0004
had added triggers to wagtailsearch_indexentry).

The database's catalog (sqlite_master's SQL; PostgreSQL's pg_trigger and pg_proc) is compared
with the statements Wagtail's migrations execute, read from those migrations by Django's
migration loader. Wagtail's data migrations query the default database whatever the
connection migrated, so both cases use the test database: it was made by migrating an empty
database, and the second test takes it back to the last release, makes the changes that
release's migrations made, and migrates forward again.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunSQL, SeparateDatabaseAndState

from healthpress.articles.models import ArticlePage

INDEX = "wagtailsearch_indexentry"
FTS = f"{INDEX}_fts"

# What search.0002 and search.0004 did to Wagtail's tables until issue 25: the state of every
# site migrated before it.
OLD_SQLITE = [
    f"DROP TABLE {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(autocomplete, body, title, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    f"INSERT INTO {FTS}(rowid, title, body, autocomplete) "
    f"SELECT id, title, body, autocomplete FROM {INDEX}",
    *(
        f"CREATE TRIGGER search_index_{name} AFTER {event} ON {INDEX} BEGIN "
        "UPDATE search_indexgeneration SET generation = generation + 1 WHERE id = 1; END"
        for name, event in [
            ("inserted", "INSERT"),
            ("deleted", "DELETE"),
            ("updated", "UPDATE OF title, body"),
        ]
    ),
]
OLD_POSTGRES = [
    """CREATE FUNCTION search_index_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_indexgeneration SET generation = generation + 1 WHERE id = 1;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER search_index_changed
    BEFORE INSERT OR DELETE OR TRUNCATE OR UPDATE OF title, body ON {INDEX}
    FOR EACH STATEMENT EXECUTE FUNCTION search_index_changed()""",
]
LAST_RELEASE = ("search", "0005_article_embeddings")


def _statements(operations):
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            yield from _statements(operation.database_operations)
        elif isinstance(operation, RunSQL) and operation.sql != RunSQL.noop:
            sql = operation.sql
            yield from [sql] if isinstance(sql, str) else sql


def wagtails_own():
    """What Wagtail's search migrations create on its index table, on this database: on SQLite
    the FTS5 table and its triggers, as (type, name, sql) rows of sqlite_master; on
    PostgreSQL the triggers and functions (none)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    statements = [
        " ".join(sql.split())
        for (app, _), migration in sorted(loader.disk_migrations.items())
        if app == "wagtailsearch"
        for sql in _statements(migration.operations)
    ]
    created = [
        sql for sql in statements if sql.startswith(("CREATE VIRTUAL TABLE", "CREATE TRIGGER"))
    ]
    assert connection.vendor != "sqlite" or len(created) == 4  # the FTS5 table, three triggers
    return sorted(
        (
            "table" if sql.startswith("CREATE VIRTUAL") else "trigger",
            sql.split()[3 if sql.startswith("CREATE VIRTUAL") else 2],
            sql,
        )
        for sql in created
    )


def catalog():
    """What the database holds on Wagtail's search index table, in the same form."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE (type = 'table' AND name = %s) "
                "OR (type = 'trigger' AND tbl_name IN (%s, %s)) ORDER BY type, name",
                [FTS, INDEX, FTS],
            )
            return sorted(
                (kind, name, " ".join(sql.split())) for kind, name, sql in cursor.fetchall()
            )
        cursor.execute(
            "SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [INDEX],
        )
        found = cursor.fetchall()
        cursor.execute(
            "SELECT 'function', proname, '' FROM pg_proc WHERE proname = 'search_index_changed'"
        )
        return sorted(found + cursor.fetchall())


def applied(app):
    loader = MigrationLoader(connection)
    return {name for label, name in loader.applied_migrations if label == app}


@pytest.mark.django_db
def test_an_empty_database_gets_wagtails_search_tables_as_wagtail_makes_them():
    assert "0006_own_index" in applied("search")  # the test database was migrated, not built
    assert catalog() == wagtails_own()


def index_an_entry():
    """One index entry, as Wagtail's backend writes it (on SQLite its triggers fill FTS5)."""
    # The flush between transactional tests may have taken the row the cache still names.
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    postgres = connection.vendor == "postgresql"
    title, body = ("'night':1", "'cramping':1 'legs':1") if postgres else ("night", "legs cramping")
    columns = "content_type_id, object_id, title_norm, title, body, autocomplete"
    values = "%s, '1', 1.0, %s, %s, %s"
    if postgres:
        columns, values = columns + ", title_text, body_text", values + ", '', ''"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {INDEX} ({columns}) VALUES ({values})", [content_type, title, body, title]
        )


@pytest.fixture
def back_to_the_last_release(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([LAST_RELEASE])
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # even when the test failed


def test_a_database_at_the_last_release_gets_them_back_as_wagtail_makes_them(
    back_to_the_last_release,
):
    index_an_entry()
    with connection.cursor() as cursor:
        for sql in OLD_SQLITE if connection.vendor == "sqlite" else OLD_POSTGRES:
            cursor.execute(sql)
    assert catalog() != wagtails_own()  # the state the new migration starts from
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert catalog() == wagtails_own()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Refilled from the index entries, with Wagtail's tokenizer (no stemming).
            cursor.execute(f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH 'cramping'")
            assert cursor.fetchone() == (1,)
            cursor.execute(f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH 'cramp'")
            assert cursor.fetchone() == (0,)
