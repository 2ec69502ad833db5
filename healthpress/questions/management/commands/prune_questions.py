"""manage.py prune_questions: the retention rule for readers' questions, run daily from cron."""

import sys

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone
from tqdm import tqdm

from healthpress.core.erasure import flush_erased
from healthpress.questions.matching import forget_matched_words
from healthpress.questions.models import Question

BATCH = 500


class Command(BaseCommand):
    help = (
        "Erase what readers gave with their questions (the words, details, topic, email address "
        "and red flags) once each question's retention is over: QUESTIONS_RETENTION_DAYS (180) "
        "after it was answered, declined or marked a duplicate; QUESTIONS_UNDECIDED_DAYS (180) "
        "after it was asked if nobody decided on it (it then leaves the queue as 'Erased before "
        "a decision'); QUESTIONS_ACCEPTED_DAYS (365) after it was accepted if its article is "
        "still unpublished; a merged question with the question it was merged into. The status, "
        "dates and article stay for the editors' report, tied to nobody. Run it daily from cron "
        "(docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say how many are due, per status; erase nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = Question.objects.due_for_erasure(now)
        if dry_run:
            counts = due.order_by().values_list("status").annotate(n=Count("pk"))
            detail = ", ".join(f"{n} {status}" for status, n in sorted(counts))
            total = sum(n for _, n in counts)
            self.stdout.write(
                f"{total} questions are due for erasure" + (f": {detail}." if detail else ".")
            )
            return
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        erased = 0
        # A progress bar on a terminal only (cron's output stays one line); each batch checks the
        # rule again, so a question decided meanwhile is judged by its new status.
        with tqdm(total=len(ids), desc="erase", file=sys.stderr, disable=None) as progress:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                erased += Question.objects.due_for_erasure(now).filter(pk__in=batch).erase(now)
                progress.update(len(batch))
        if erased:
            forget_matched_words()
        flushed = flush_erased()
        self.stdout.write(
            f"Erased what readers gave with {erased} questions whose retention was over."
            + ("" if flushed is None or flushed.done else " " + WAL_BUSY)
        )


WAL_BUSY = (
    "Another process was reading the database: the erased text leaves SQLite's write-ahead log "
    "at its next checkpoint (the next run of this command makes one)."
)
