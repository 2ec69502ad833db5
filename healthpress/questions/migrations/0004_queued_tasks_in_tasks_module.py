"""The questions app's tasks moved into one module, questions/tasks.py (issue 25). The database
task backend stores each queued task by its dotted path (DBTaskResult.task_path) and imports it
when a worker runs it, so the rows queued before the move are renamed here; backwards, they go
back to the modules they came from."""

from django.db import migrations

MOVED = {
    "healthpress.questions.triage_tasks.tell_askers": "healthpress.questions.tasks.tell_askers",
    "healthpress.questions.triage_tasks.email_expert": "healthpress.questions.tasks.email_expert",
    "healthpress.questions.answer_tasks.send_answered_notices": (
        "healthpress.questions.tasks.send_answered_notices"
    ),
}


def rename(pairs):
    def run(apps, schema_editor):
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        for old, new in pairs:
            DBTaskResult.objects.filter(task_path=old).update(task_path=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0003_erasure_as_promised"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(
            rename(MOVED.items()), rename([(new, old) for old, new in MOVED.items()])
        )
    ]
