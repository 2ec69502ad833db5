import json

from django.core.management.base import BaseCommand, CommandError

from healthpress.newsletter.data import erase_address, export_address


class Command(BaseCommand):
    help = (
        "Data rights for one email address: `export` prints, as JSON, everything the newsletter "
        "stores about it (subscription, consent record, deliveries); `erase` deletes all of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"], help="export or erase")
        parser.add_argument("email", help="the email address the request is about")
        parser.add_argument(
            "--yes", action="store_true", help="erase without asking for confirmation"
        )

    def handle(self, *args, action, email, yes, **options):
        if action == "export":
            record = export_address(email)
            if record is None:
                raise CommandError(f"Nothing is stored for {email}.")
            self.stdout.write(json.dumps(record, indent=2, ensure_ascii=False))
            return
        if not yes:
            answer = input(f"Erase everything stored for {email}? Type 'yes' to confirm: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Not erased.")
        if not erase_address(email):
            raise CommandError(f"Nothing is stored for {email}.")
        self.stdout.write(f"Erased everything stored for {email}.")
