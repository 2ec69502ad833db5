"""The base of every `<app> export|erase EMAIL` command: a reader's right of access and erasure.

Each app that stores what readers give (comments, newsletter, questions) has one command built
on `PersonalDataCommand`; the base owns the arguments, the address check, the JSON output and
the confirmation question, and the app says only what it exports and how it erases.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email


def iso(value):
    """A value as JSON can carry it: dates and times in ISO 8601."""
    return value.isoformat() if hasattr(value, "isoformat") else value


class PersonalDataCommand(BaseCommand):
    """`manage.py <command> export|erase EMAIL [--yes]`. Subclasses write `export(email)`, which
    returns what to print as JSON, and `erase(email, yes)`, which asks `confirmed()` first."""

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"], help="what to do")
        parser.add_argument("email", help="the reader's email address (case-insensitive)")
        parser.add_argument(
            "--yes", action="store_true", help="erase without asking for confirmation"
        )

    def handle(self, *args, action, email, yes=False, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        if action == "export":
            record = self.export(email)
            self.stdout.write(json.dumps(record, indent=2, ensure_ascii=False))
        else:
            self.erase(email, yes)

    def confirmed(self, yes, question):
        """True with --yes, or when the operator answers y to `question`."""
        return yes or input(f"{question} [y/N] ").strip().lower() == "y"

    def export(self, email):
        raise NotImplementedError

    def erase(self, email, yes):
        raise NotImplementedError
