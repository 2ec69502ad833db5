"""manage.py send_review_reminders: email reviewers the articles whose review falls due, daily
from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from healthpress.health.reminders import send_review_reminders


class Command(BaseCommand):
    help = (
        "Email each reviewer one digest of the live articles whose next review is within "
        "REVIEW_REMINDER_DAYS days (30 by default) or past: the article's reviewer, or every "
        "active member of Medical reviewers when it has none. One email per person a week at "
        "most, never twice for the same article and review date; a failed send is retried by "
        "the next run. Run it daily from cron (docs/deploy.md)."
    )

    def handle(self, *args, **options):
        outcome = send_review_reminders()
        self.stdout.write(
            f"Sent {outcome.emails} review reminder email{'s' if outcome.emails != 1 else ''} "
            f"listing {outcome.articles} due article{'s' if outcome.articles != 1 else ''} "
            f"(REVIEW_REMINDER_DAYS={settings.REVIEW_REMINDER_DAYS})."
        )
        if outcome.waiting:
            self.stdout.write(
                f"{len(outcome.waiting)} reviewer(s) had a reminder in the last 7 days and wait: "
                + ", ".join(user.get_username() for user in outcome.waiting)
            )
        for article in outcome.nobody:
            self.stderr.write(
                f"Nobody to remind about article {article.pk} “{article.title}” (due "
                f"{article.next_review_due}): its reviewer has no active account with an email "
                "address and no active member of Medical reviewers has one."
            )
        if outcome.failed:
            for user, error in outcome.failed:
                self.stderr.write(f"Not sent to {user.get_username()}: {error}")
            raise CommandError(
                f"{len(outcome.failed)} reminder email(s) not sent; the next run retries them"
            )
