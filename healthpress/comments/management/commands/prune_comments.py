"""manage.py prune_comments: the retention rule for comments held as spam, run daily from cron."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from healthpress.comments.retention import spam_due
from healthpress.core.erasure import flush_erased

BATCH = 500


class Command(BaseCommand):
    help = (
        "Delete the comments held as spam for more than COMMENTS_SPAM_DAYS days (30 by default; "
        "counted from when a moderator marked them, or from their arrival when the spam checks "
        "held them), with their name, email address, network and browser, their history and the "
        "replies under them (never shown either). Run it daily from cron (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say how many are due, delete nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        ids = list(spam_due(now).order_by("pk").values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(f"{len(ids)} comments held as spam are due for deletion.")
            return
        deleted = 0
        # Each batch checks the rule again: a comment a moderator rescued meanwhile stays.
        with tqdm(total=len(ids), desc="delete", file=sys.stderr, disable=None) as progress:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                _, per_model = spam_due(now).filter(pk__in=batch).delete()
                deleted += per_model.get("comments.Comment", 0)
                progress.update(len(batch))
        flush_erased()
        self.stdout.write(f"Deleted {deleted} comments held as spam (replies included).")
