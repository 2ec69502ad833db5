from django.core.management.base import BaseCommand, CommandError

from healthpress.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to FILE while the site runs (SQLite's online "
        "backup, or pg_dump on PostgreSQL). The file is created 0600; it must not exist yet. "
        "Back up HEALTHPRESS_VAR_DIR/media (or MEDIA_ROOT) beside it. Put it back with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            target = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the database to {target}")
