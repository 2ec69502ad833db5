"""Document counts per search term, cached until the search index changes.

The ranking needs each term's document frequency; counting it on every search cost about half of
a PostgreSQL search. The counts are stored in DocumentCount with the index generation they were
counted at.

This migration used to add triggers to Wagtail's index table that raised the generation; they
made every index write of every model wait on one row, and the table is not ours. The public
backend raises the generation itself now (search/backend.py), so a fresh site never gets them,
and search.0006 drops them where this migration once created them.
"""

from django.db import migrations, models


def create_generation_row(apps, schema_editor):
    IndexGeneration = apps.get_model("search", "IndexGeneration")
    IndexGeneration.objects.get_or_create(pk=1)


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
        migrations.RunPython(create_generation_row, migrations.RunPython.noop),
    ]
