"""Imports started from the admin: which files may be imported, and starting a run.

The files come from one folder on the server (WORDPRESS_IMPORT_DIR, default `var/imports/`), put
there by the operator (scp, rsync): a site's export can be gigabytes, more than one upload
request should carry. The admin offers only what is in that folder, by name, so no path typed
into a form reaches the file system.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import ImportRun


def import_folder():
    return Path(settings.WORDPRESS_IMPORT_DIR)


def available_exports():
    folder = import_folder()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".xml")


def available_uploads():
    folder = import_folder()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def start_run(user, export, uploads="", *, publish_live=False, dry_run=True):
    """Record the run and queue it once committed; the names must be ones the folder offers."""
    from .tasks import run_import

    if export not in available_exports():
        raise ValueError(f"{export!r} is not an export in the import folder")
    if uploads and uploads not in available_uploads():
        raise ValueError(f"{uploads!r} is not a folder in the import folder")
    run = ImportRun.objects.create(
        export=export, uploads=uploads, publish_live=publish_live, dry_run=dry_run, created_by=user
    )
    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run
