from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from healthpress.signin import two_factor


class Command(BaseCommand):
    help = (
        "Forget a staff member's authenticator app and recovery codes (a lost phone). If their "
        "account needs two-step sign-in, they set up a new app at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account's username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username!r}.")
        removed = two_factor.reset(user)
        if removed:
            self.stdout.write(f"Removed {removed} second factor(s) of {username}.")
        else:
            self.stdout.write(f"{username} had no second factor set up.")
