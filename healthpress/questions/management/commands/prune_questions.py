"""manage.py prune_questions: the retention rule for readers' questions, run daily from cron."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from healthpress.questions.models import Question

BATCH = 500


class Command(BaseCommand):
    help = (
        "Erase the details and the email address of readers' questions closed (answered, "
        "declined, a duplicate, merged) more than QUESTIONS_RETENTION_DAYS days ago (180 by "
        "default), and record when (erased_at). The question's words, status and dates stay, for "
        "the editors' report. Run it daily from cron (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say how many are due, erase nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        days = settings.QUESTIONS_RETENTION_DAYS
        cutoff = (now - timezone.timedelta(days=days)).date().isoformat()
        ids = list(
            Question.objects.due_for_erasure(now).order_by("pk").values_list("pk", flat=True)
        )
        if dry_run:
            self.stdout.write(f"{len(ids)} questions closed before {cutoff} are due for erasure.")
            return
        erased = 0
        # A progress bar on a terminal only (cron's output stays one line); each batch is one
        # statement that checks the rule again, so a question reopened meanwhile is kept.
        with tqdm(total=len(ids), desc="erase", file=sys.stderr, disable=None) as progress:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                erased += (
                    Question.objects.due_for_erasure(now)
                    .filter(pk__in=batch)
                    .update(details="", email="", erased_at=now)
                )
                progress.update(len(batch))
        self.stdout.write(
            f"Erased the details and email of {erased} questions closed before {cutoff} "
            f"(QUESTIONS_RETENTION_DAYS={days})."
        )
