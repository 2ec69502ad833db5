from django.core.management.base import BaseCommand

from healthpress.search import log


class Command(BaseCommand):
    help = (
        "Delete search-log rows older than SEARCH_LOG_DAYS (90 by default): the log keeps the "
        "words readers typed, which can be about their health, only as long as editors need them. "
        "Run it daily from cron (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="keep this many days instead")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            self.stderr.write("--days must be 0 or more")
            raise SystemExit(2)
        log.flush()
        deleted = log.prune(days)
        self.stdout.write(f"Deleted {deleted} search-log rows.")
