"""Tasks queued before the questions' and health's task modules were merged (issue 25) still
run: the database backend stores a task by its dotted path, and the migrations rename the rows."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

QUESTIONS = import_module("healthpress.questions.migrations.0004_queued_tasks_in_tasks_module")
HEALTH = import_module("healthpress.health.migrations.0002_queued_tasks_in_tasks_module")
OLD_PATHS = [
    "healthpress.questions.triage_tasks.tell_askers",
    "healthpress.questions.triage_tasks.email_expert",
    "healthpress.questions.answer_tasks.send_answered_notices",
    "healthpress.health.reference_tasks.check_article_references",
]


def queued(path):
    return DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )


@pytest.mark.django_db
def test_queued_tasks_point_at_the_tasks_modules_after_the_migrations():
    rows = [queued(path) for path in OLD_PATHS]
    untouched = queued("healthpress.comments.tasks.send_moderator_digest")
    forwards = [op.code for op in (*QUESTIONS.Migration.operations, *HEALTH.Migration.operations)]
    for run in forwards:
        run(apps, None)
    for row in rows:
        row.refresh_from_db()
        # The worker imports the path: it must name the task that runs today.
        task = import_string(row.task_path)
        assert isinstance(task, Task) and task.name == row.task_path.rsplit(".", 1)[1]
        assert ".tasks." in row.task_path
    untouched.refresh_from_db()
    assert untouched.task_path == "healthpress.comments.tasks.send_moderator_digest"
    backwards = [
        op.reverse_code for op in (*QUESTIONS.Migration.operations, *HEALTH.Migration.operations)
    ]
    for run in backwards:
        run(apps, None)
    assert sorted(
        DBTaskResult.objects.exclude(pk=untouched.pk).values_list("task_path", flat=True)
    ) == sorted(OLD_PATHS)
