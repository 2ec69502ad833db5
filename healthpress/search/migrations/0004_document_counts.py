"""Document counts per search term, cached until Wagtail's search index changes.

The ranking needs each term's document frequency; counting it on every search cost about half of
a PostgreSQL search. The counts are stored in DocumentCount with the index generation they were
counted at, and triggers on Wagtail's index table raise the generation in the same transaction as
any change to the index (insert, delete, or an update of the indexed text), so a stale count is
never read. Wagtail's table and its own triggers are left as they are.
"""

from django.db import migrations, models

INDEX_TABLE = "wagtailsearch_indexentry"
GENERATION_TABLE = "search_indexgeneration"
BUMP = f"UPDATE {GENERATION_TABLE} SET generation = generation + 1 WHERE id = 1"

POSTGRES_FORWARD = [
    f"""CREATE FUNCTION search_index_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {BUMP};
        RETURN NULL;
    END $$""",
    # BEFORE each statement: the generation row is locked before any index row, so two
    # transactions writing the index queue up on it instead of deadlocking.
    f"""CREATE TRIGGER search_index_changed
    BEFORE INSERT OR DELETE OR TRUNCATE OR UPDATE OF title, body ON {INDEX_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION search_index_changed()""",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS search_index_changed ON {INDEX_TABLE}",
    "DROP FUNCTION IF EXISTS search_index_changed()",
]
# SQLite has row triggers only. Not on title_norm: Wagtail rewrites it on every row at each add.
SQLITE_EVENTS = {
    "inserted": "INSERT",
    "deleted": "DELETE",
    "updated": "UPDATE OF title, body",
}


def create_triggers(apps, schema_editor):
    IndexGeneration = apps.get_model("search", "IndexGeneration")
    IndexGeneration.objects.get_or_create(pk=1)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in POSTGRES_FORWARD:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for name, event in SQLITE_EVENTS.items():
                cursor.execute(
                    f"CREATE TRIGGER search_index_{name} AFTER {event} ON {INDEX_TABLE} "
                    f"BEGIN {BUMP}; END"
                )


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in POSTGRES_BACKWARD:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for name in SQLITE_EVENTS:
                cursor.execute(f"DROP TRIGGER IF EXISTS search_index_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_starter_synonyms"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("generation", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "search index generation"},
        ),
        migrations.CreateModel(
            name="DocumentCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("content_type_id", models.PositiveIntegerField()),
                ("term", models.CharField(max_length=300)),
                ("documents", models.PositiveIntegerField()),
                ("generation", models.BigIntegerField(db_index=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type_id", "term"), name="search_count_term"
                    )
                ]
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
