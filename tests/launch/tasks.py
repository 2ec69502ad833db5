"""Two tasks for the worker's output test (test_launchers.py): one succeeds, one fails."""

from django_tasks import task


@task()
def succeeds():
    return "ok"


@task()
def fails():
    raise RuntimeError("this task fails on purpose")
