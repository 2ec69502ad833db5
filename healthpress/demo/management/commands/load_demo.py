"""manage.py load_demo: the demo site (healthpress/demo/), loaded again on every `make run`."""

from django.core.management.base import BaseCommand, CommandError

from healthpress.articles.importer import InvalidArticle
from healthpress.demo.loader import load_demo

from .demo_admin import show_admin

STATUSES = ("created", "updated", "unchanged")


class Command(BaseCommand):
    help = (
        "Fill the site with the HealthPress demo: home page, topics, authors and published "
        "articles (healthpress/demo/articles/*.txt, read by the importer), demo activity made "
        "once and never emailed (comments, subscribers, reader questions, an article in "
        "review and a draft), plus a superuser "
        "'admin'. Safe to run again: content that already matches is left alone, and articles "
        "edited or unpublished in the admin are kept as they are. The admin password is "
        "$ADMIN_PASSWORD if set, otherwise one generated on first run and kept in the var "
        "directory (admin_password); an existing admin's password is only changed when "
        "$ADMIN_PASSWORD is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin",
            action="store_true",
            help="Do not create or change the admin user (for tests and shared databases).",
        )

    def handle(self, *args, no_admin=False, **options):
        try:
            report = load_demo(admin=not no_admin)
        except InvalidArticle as error:
            raise CommandError(f"the demo data is broken: {error}") from error
        for kind, counts in report.counts.items():
            # Demo activity is made once and never updated (activity.py).
            statuses = ("created", "unchanged") if kind == "activity" else STATUSES
            line = ", ".join(f"{counts[status]} {status}" for status in statuses)
            if counts["kept"]:
                line += f", {counts['kept']} kept as edited in the admin"
            self.stdout.write(f"Demo {kind}: {line}")
        if report.admin:
            show_admin(self, report.admin)
