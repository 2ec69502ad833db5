"""manage.py prune_feedback: the retention rules of "Was this page helpful?", run daily from
cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from healthpress.health.feedback import prune


class Command(BaseCommand):
    help = (
        "Delete what readers' feedback no longer needs: the day's vote records (a keyed hash of "
        "each voter's network, needed only for the one-vote-a-day rule) once the day is over, and "
        'the daily Yes/No counts and "What was missing?" notes older than FEEDBACK_DAYS days '
        "(90 by default). Run it daily from cron (docs/deploy.md)."
    )

    def handle(self, *args, **options):
        deleted = prune()
        summary = ", ".join(f"{count} {kind}" for kind, count in deleted.items())
        self.stdout.write(f"Deleted {summary} (FEEDBACK_DAYS={settings.FEEDBACK_DAYS}).")
