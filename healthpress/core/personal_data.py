"""The base of every `<app> export|erase EMAIL` command: a reader's right of access and erasure.

Each app that stores what readers give (comments, newsletter, questions) has one command built
on `PersonalDataCommand`; the base owns the arguments, the address check, the JSON output, the
confirmation question and the checkpoint that takes erased text out of SQLite's files, and the
app says only what it exports and how it erases.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from .erasure import flush_erased


def iso(value):
    """A value as JSON can carry it: dates and times in ISO 8601."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def as_rows(values, fields):
    """`values_list(*fields)` rows as JSON-ready dicts; "topic__title" is named "topic_title"."""
    names = [field.replace("__", "_") for field in fields]
    return [{name: iso(value) for name, value in zip(names, row, strict=True)} for row in values]


class PersonalDataCommand(BaseCommand):
    """`manage.py <command> export|erase EMAIL [--yes]`. Subclasses write `export(email)`, which
    returns what to print as JSON, and either `erase(email, yes)` whole (asking `confirmed()`
    first) or, for rows in a queryset, `stored(email)`, `erase_prompt` and `erase_rows()`."""

    model = None  # whose `objects.for_email(email)` finds the reader's rows (`stored()`)
    # With {count} and {email}; the operator answers y or n.
    erase_prompt = "Erase {count} row(s) for {email}?"

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
            self.flush()

    def flush(self):
        """After every erasure, whichever app's: on SQLite the erased values leave the
        write-ahead log too (core/erasure.py), or the operator hears why they have not yet."""
        flushed = flush_erased()
        if flushed is not None and not flushed.done:
            self.stdout.write(
                self.style.WARNING(
                    "Another process was reading the database, so the erased text is still in "
                    "SQLite's write-ahead log until its next checkpoint: run this command again "
                    "once the site is quiet (it makes one)."
                )
            )

    def confirmed(self, yes, question):
        """True with --yes, or when the operator answers y to `question`."""
        return yes or input(f"{question} [y/N] ").strip().lower() == "y"

    def export(self, email):
        raise NotImplementedError

    def erase(self, email, yes):
        """Count what `stored()` finds, ask, then `erase_rows()`; nothing stored is no error."""
        stored = self.stored(email)
        count = stored.count()
        if not count:
            self.stdout.write(f"Nothing stored for {email}.")
            return
        if not self.confirmed(yes, self.erase_prompt.format(count=count, email=email)):
            raise CommandError("Cancelled; nothing erased.")
        self.erase_rows(stored, email, count)

    def stored(self, email):
        """The reader's rows: by default `model`'s, through its `for_email()`, oldest first."""
        return self.model.objects.for_email(email).order_by("created_at", "pk")

    def erase_rows(self, stored, email, count):
        raise NotImplementedError
