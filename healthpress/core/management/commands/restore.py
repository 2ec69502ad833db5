from django.core.management.base import BaseCommand, CommandError

from healthpress.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a copy made by `backup` (everything since that "
        "copy is lost), then purge the page cache. Asks first unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            answer = input(f"Replace the database with {file}? Everything since is lost. [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing restored.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database from {file} and purged the page cache.")
