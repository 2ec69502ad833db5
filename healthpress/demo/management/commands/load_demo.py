"""manage.py load_demo: the demo site (healthpress/demo/), loaded again on every `make run`."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from healthpress.articles.importer import InvalidArticle
from healthpress.demo.loader import admin_password_file, load_demo

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
            self._show_admin(report.admin)

    def _show_admin(self, account):
        if account.password_from_env:
            password = "(the value of ADMIN_PASSWORD)"
        elif account.password:
            password = f"{account.password}  (stored in {admin_password_file()})"
        else:
            password = "unchanged (set it with ADMIN_PASSWORD=... or manage.py changepassword)"
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(
            self.style.SUCCESS(f"\nAdmin ({account.status}): http://127.0.0.1:{port}/admin/")
        )
        self.stdout.write(f"  username: {account.username}")
        self.stdout.write(f"  password: {password}")
        if settings.ADMIN_TWO_FACTOR:
            self.stdout.write("  two-step sign-in: on; you set up an authenticator app first")
        else:
            self.stdout.write(
                "  two-step sign-in: off here (ADMIN_TWO_FACTOR=false); production asks it of "
                "superusers, medical reviewers and moderators"
            )
