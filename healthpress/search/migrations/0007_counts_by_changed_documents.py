"""Document counts reused while few documents changed since they were counted (issue 27).

IndexGeneration gains `changed_documents` (documents written or removed since the start), and
each DocumentCount keeps that number as it stood when counted instead of the generation. The
stored counts are dropped: their drift since they were counted is unknown (they are only a
cache; the next searches count again what they need).
"""

from django.db import migrations, models


def drop_counts(apps, schema_editor):
    apps.get_model("search", "DocumentCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0006_own_index")]

    operations = [
        migrations.RunPython(drop_counts, migrations.RunPython.noop),
        migrations.AddField(
            model_name="indexgeneration",
            name="changed_documents",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RemoveField(model_name="documentcount", name="generation"),
        migrations.AddField(
            model_name="documentcount",
            name="changed_documents",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
    ]
