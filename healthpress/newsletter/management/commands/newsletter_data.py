from django.core.management.base import CommandError

from healthpress.core.personal_data import PersonalDataCommand
from healthpress.newsletter.data import erase_address, export_address


class Command(PersonalDataCommand):
    help = (
        "Data rights for one email address: `export` prints, as JSON, everything the newsletter "
        "stores about it (subscription, consent record, deliveries); `erase` deletes all of it."
    )

    def export(self, email):
        record = export_address(email)
        if record is None:
            raise CommandError(f"Nothing is stored for {email}.")
        return record

    def erase(self, email, yes):
        if not self.confirmed(yes, f"Erase everything stored for {email}?"):
            raise CommandError("Not erased.")
        if not erase_address(email):
            raise CommandError(f"Nothing is stored for {email}.")
        self.stdout.write(f"Erased everything stored for {email}.")
