"""Wagtail's search tables put back as Wagtail makes them, and the public search's own index.

1. Wagtail's (modelsearch's) tables: search.0002 once recreated Wagtail's SQLite FTS5 table with
   the Porter stemmer, and search.0004 once added triggers to wagtailsearch_indexentry. Both are
   no-ops now; on a site where they ran, this drops those triggers (and their PostgreSQL
   function) and recreates the FTS5 table with the statement of Wagtail's own migration
   (wagtailsearch.0006_customise_indexentry), refilled from the index entries. A site where
   they never ran (a fresh one) is left as Wagtail made it. No later migration of this app
   touches Wagtail's or modelsearch's tables.
2. PublicDocument: the live, public articles' words for the public backend (search/backend.py),
   with its stemmed index: an FTS5 table on SQLite (external content: the words are read from
   PublicDocument, kept in step by triggers on PublicDocument), tsvector columns with GIN
   indexes on PostgreSQL. It starts empty: `manage.py update_index` (or
   `update_index --backend public`) fills it on an existing site, publishing keeps it up to
   date, and the system check search.W001 says when it is empty while public articles exist.
"""

import django.db.models.deletion
from django.db import connection, migrations, models

# Word for word what wagtailsearch.0006_customise_indexentry executes: sqlite_master keeps the
# statement as written, so anything else would differ from a fresh site's table.
WAGTAIL_FTS = "CREATE VIRTUAL TABLE {table}_fts USING fts5(autocomplete, body, title)"
# What search.0004 once created.
OLD_SQLITE_TRIGGERS = ["search_index_inserted", "search_index_deleted", "search_index_updated"]
OLD_POSTGRES_TRIGGER = "search_index_changed"


def restore_wagtail_tables(apps, schema_editor):
    connection = schema_editor.connection
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {OLD_POSTGRES_TRIGGER} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {OLD_POSTGRES_TRIGGER}()")
        elif connection.vendor == "sqlite":
            for name in OLD_SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            fts, wanted = f"{table}_fts", WAGTAIL_FTS.format(table=table)
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [fts]
            )
            row = cursor.fetchone()
            if row is None or row[0] == wanted:
                return  # no FTS5 in this SQLite (Wagtail falls back), or as Wagtail made it
            cursor.execute(f"DROP TABLE {fts}")
            cursor.execute(wanted)
            cursor.execute(
                f"INSERT INTO {fts}(rowid, title, body, autocomplete) "
                f"SELECT id, title, body, autocomplete FROM {table}"
            )


DOCUMENTS = "search_publicdocument"
FTS = f"{DOCUMENTS}_fts"
# The Porter stemmer in front of unicode61: "cramps" finds "cramping".
TOKENIZE = "porter unicode61 remove_diacritics 2"
NEW = "new.article_id, new.title, new.body"
OLD = "old.article_id, old.title, old.body"
SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, content='{DOCUMENTS}', "
    f"content_rowid='article_id', tokenize='{TOKENIZE}')",
    f"CREATE TRIGGER {DOCUMENTS}_inserted AFTER INSERT ON {DOCUMENTS} BEGIN "
    f"INSERT INTO {FTS}(rowid, title, body) VALUES ({NEW}); END",
    f"CREATE TRIGGER {DOCUMENTS}_deleted AFTER DELETE ON {DOCUMENTS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', {OLD}); END",
    f"CREATE TRIGGER {DOCUMENTS}_updated AFTER UPDATE ON {DOCUMENTS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', {OLD}); "
    f"INSERT INTO {FTS}(rowid, title, body) VALUES ({NEW}); END",
]
SQLITE_INDEX_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {DOCUMENTS}_{event}" for event in ("inserted", "deleted", "updated")),
    f"DROP TABLE IF EXISTS {FTS}",
]

fields = [
    (
        "article",
        models.OneToOneField(
            on_delete=django.db.models.deletion.CASCADE,
            primary_key=True,
            related_name="+",
            serialize=False,
            to="articles.articlepage",
        ),
    ),
    ("title", models.TextField()),
    ("body", models.TextField(blank=True)),
]
options = {"verbose_name": "public search document"}
index_operations = []

if connection.vendor == "postgresql":
    import django.contrib.postgres.indexes
    import django.contrib.postgres.search

    fields += [
        ("title_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
        ("body_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
    ]
    options["indexes"] = [
        django.contrib.postgres.indexes.GinIndex(
            fields=["title_vector"], name="search_doc_title_gin"
        ),
        django.contrib.postgres.indexes.GinIndex(fields=["body_vector"], name="search_doc_body_gin"),
    ]
elif connection.vendor == "sqlite":
    index_operations = [migrations.RunSQL(SQLITE_INDEX, SQLITE_INDEX_REVERSE)]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_medical_review_workflow"),
        ("search", "0005_article_embeddings"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(restore_wagtail_tables, migrations.RunPython.noop),
        migrations.CreateModel(name="PublicDocument", fields=fields, options=options),
        *index_operations,
    ]
