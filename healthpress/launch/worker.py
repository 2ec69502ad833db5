"""`make run`'s task worker: django-tasks' `manage.py db_worker`, telling each task in one line.

db_worker logs two lines a task (started, finished, each with the task's id); the demo's first
load queues over a hundred tasks, and those lines pushed the admin's address and password off the
screen. Here a task that succeeds prints one short line (its path and how long it took); one that
fails is still logged in full, with its traceback, by django-tasks. With --batch (run what is
queued, then exit) a last line counts them. Emails are printed by the console email backend as
before. The arguments are db_worker's: `python -m healthpress.launch.worker --help`.
"""

import logging
import os
import sys


class Report:
    def __init__(self, out=sys.stdout):
        self.out = out
        self.done = 0
        self.failed = 0

    def task_finished(self, sender, task_result, **kwargs):
        from django_tasks import TaskResultStatus

        if task_result.status != TaskResultStatus.SUCCESSFUL:
            self.failed += 1  # django-tasks logs it, traceback and all
            return
        self.done += 1
        took = ""
        if task_result.started_at and task_result.finished_at:
            seconds = (task_result.finished_at - task_result.started_at).total_seconds()
            took = f" ({seconds:.1f} s)"
        print(f"task done: {task_result.task.module_path}{took}", file=self.out, flush=True)

    def summary(self):
        if not (self.done or self.failed):
            return "No background task was waiting."
        failed = f", {self.failed} failed (above)" if self.failed else ""
        return f"Background tasks: {self.done} done{failed}."


def not_routine(record):
    """Logging filter: drop the worker's INFO lines (each task started and finished, "Starting
    worker", "No more tasks"), keep its warnings and failures."""
    return record.levelno >= logging.WARNING


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.dev")
    import django

    django.setup()
    from django.core.management import ManagementUtility
    from django_tasks.signals import task_finished

    # db_worker sets these loggers' levels itself, so a filter is what keeps INFO out.
    for name in ("django_tasks", "django_tasks_db"):
        logging.getLogger(name).addFilter(not_routine)
    # Django's autoreloader says "Watching for file changes" on each start; runserver says it.
    logging.getLogger("django.utils.autoreload").addFilter(not_routine)
    report = Report()
    task_finished.connect(report.task_finished, dispatch_uid="launch-worker-report")
    # Run as `manage.py db_worker` runs (argument errors and --help alike), Django being set up.
    argv0 = "manage.py"
    ManagementUtility([argv0, "db_worker", *argv]).fetch_command("db_worker").run_from_argv(
        [argv0, "db_worker", *argv]
    )
    if "--batch" in argv:
        print(report.summary(), flush=True)


if __name__ == "__main__":
    main()
