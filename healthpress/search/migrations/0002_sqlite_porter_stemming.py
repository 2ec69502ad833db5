"""English stemming for the SQLite search index.

Wagtail creates its FTS5 table with FTS5's default tokenizer, which does not stem: "cramps" would
not find "cramping". This rebuilds the same table (same name and columns, so Wagtail's triggers
and queries keep working) with the Porter stemmer in front of unicode61, and copies the index
back in. PostgreSQL gets stemming from SEARCH_CONFIG = "english" in the settings instead.
"""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
TOKENIZE = "porter unicode61 remove_diacritics 2"


def use_porter(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        row = cursor.fetchone()
        if row is None or "porter" in row[0]:
            return  # no FTS5 in this SQLite (Wagtail falls back), or done already
        cursor.execute(f"DROP TABLE {FTS_TABLE}")
        cursor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            f"autocomplete, body, title, tokenize = '{TOKENIZE}')"
        )
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body, autocomplete) "
            "SELECT id, title, body, autocomplete FROM wagtailsearch_indexentry"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(use_porter, migrations.RunPython.noop)]
