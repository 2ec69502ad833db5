"""Background work of the WordPress import: one run started from the admin (runs.py)."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import wxr
from .importer import Options, collect, import_export
from .models import ImportRun
from .runs import import_folder

PROGRESS_EVERY = 50  # records between two writes of the run's progress


@task()
def run_import(run_id):
    """Run a queued import once (a second delivery of the task finds it claimed) and keep its
    report on the run, for the admin page that shows it."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING
    )
    if not claimed:
        return "already run"
    run = ImportRun.objects.get(pk=run_id)
    folder = import_folder()
    path = folder / run.export
    options = Options(
        uploads=folder / run.uploads if run.uploads else None,
        dry_run=run.dry_run,
        publish_live=run.publish_live,
        user=run.created_by,
    )
    try:
        collected = collect(path)
        summary = collected[0]
        ImportRun.objects.filter(pk=run_id).update(total=summary.posts)
        counter = {"done": 0}

        def progress(n):
            counter["done"] += n
            if (
                counter["done"] % PROGRESS_EVERY == 0
                and not transaction.get_connection().in_atomic_block
            ):
                ImportRun.objects.filter(pk=run_id).update(done=counter["done"])

        report = import_export(path, options, progress=progress, collected=collected)
    except wxr.InvalidExport as error:
        return _finish(run_id, ImportRun.Status.FAILED, error=f"{error}. Nothing was imported.")
    return _finish(
        run_id,
        ImportRun.Status.DONE,
        done=counter["done"],
        report="\n".join(report.lines()),
        report_csv=report.csv_text(),
    )


def _finish(run_id, status, **fields):
    ImportRun.objects.filter(pk=run_id).update(status=status, finished_at=timezone.now(), **fields)
    return status
