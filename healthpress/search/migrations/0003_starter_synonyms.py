"""A starter synonym group; editors change the groups in the admin (Settings → Search synonyms).
Only on a fresh install: nothing is added once any group exists."""

from django.db import migrations

# Measured on the benchmark (docs/search.md): broader starter groups such as "high blood
# pressure, hypertension" lowered the figures, because their everyday words ("high", "blood")
# match thousands of articles. Only the group the demo needs ships; editors add their own.
STARTER_GROUPS = ["cramp, spasm, charley horse"]


def add_starter_groups(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if Synonym.objects.exists():
        return
    Synonym.objects.bulk_create(
        Synonym(terms=terms, note="Starter group shipped with HealthPress.")
        for terms in STARTER_GROUPS
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_porter_stemming")]

    operations = [migrations.RunPython(add_starter_groups, migrations.RunPython.noop)]
