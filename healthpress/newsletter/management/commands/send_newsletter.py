import argparse

from django.core.management.base import BaseCommand, CommandError

from healthpress.newsletter.pipeline import send_newsletter


class Command(BaseCommand):
    help = """Send the newsletter to every subscriber who has something new.

Each confirmed, unpaused subscriber gets the live articles first published since their last
newsletter that match their topics: "each new article" subscribers at every run, weekly-digest
subscribers once 7 days have passed. Nothing new means nothing is sent.

Safe to run at any time and as often as you like: one edition is open at a time, each
(edition, subscriber) is sent at most once, and a run that was killed or lost its mail server is
resumed by the next run without mailing anyone twice. Exit status 0 when everything was handed to
the mail server (or nothing was due), 1 when messages are left pending for the next run.

Cron (every hour, on the hour; output goes to the cron mail or log):
  0 * * * *  cd /srv/healthpress && .venv/bin/python manage.py send_newsletter --no-progress

Settings (environment): NEWSLETTER_MAX_PER_SECOND (rate limit, 0 = none),
NEWSLETTER_BATCH_SIZE, NEWSLETTER_MAX_RETRIES, NEWSLETTER_RETRY_BACKOFF (seconds, doubling),
NEWSLETTER_HARD_BOUNCE_LIMIT, NEWSLETTER_IDENTITY; mail server: EMAIL_HOST, EMAIL_PORT, ...
"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="no progress bar on stderr (for cron and logs)",
        )

    def handle(self, *args, **options):
        summary = send_newsletter(progress=not options["no_progress"])
        if summary.busy:
            self.stdout.write("Another sender is working on the open edition; nothing to do.")
            return
        if not summary.editions:
            self.stdout.write("Nothing new to send.")
            return
        editions = ", ".join(str(pk) for pk in summary.editions)
        self.stdout.write(f"Edition {editions}: {summary.line()}")
        if summary.stopped_early:
            self.stderr.write(f"Stopped early: {summary.stopped_early}")
        if summary.pending:
            raise CommandError(
                f"{summary.pending} message(s) still pending: run the command again.",
                returncode=1,
            )
