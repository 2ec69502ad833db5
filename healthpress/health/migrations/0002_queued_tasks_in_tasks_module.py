"""The health app's task module is tasks.py now (it was reference_tasks.py; issue 25). The
database task backend stores each queued task by its dotted path (DBTaskResult.task_path) and
imports it when a worker runs it, so the rows queued before the rename are renamed here."""

from django.db import migrations

OLD = "healthpress.health.reference_tasks.check_article_references"
NEW = "healthpress.health.tasks.check_article_references"


def rename(old, new):
    def run(apps, schema_editor):
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD))]
