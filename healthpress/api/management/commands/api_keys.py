"""manage.py api_keys: partners' API keys from the command line (docs/api.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q, Sum
from django.utils import timezone

from healthpress.api import usage
from healthpress.api.keys import create_key, partner_tokens, revoke_key


class Command(BaseCommand):
    help = (
        "Create, list or revoke partners' API keys. `create NAME` prints the new key once, "
        "alone on standard output, for scripts; it is stored only as a hash."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Make a key for a partner and print it once.")
        create.add_argument("name", help="Whose key it is, e.g. 'Riverside GP practice'.")
        actions.add_parser("list", help="Every partner key: prefix, name, last use, status.")
        revoke = actions.add_parser("revoke", help="Revoke a key for good.")
        revoke.add_argument("prefix", help="The key's first characters, as `list` shows them.")

    def handle(self, *args, action, **options):
        if action == "create":
            try:
                token, plaintext = create_key(options["name"])
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stderr.write(f"Key for {token.name!r} (shown once, keep it safe):")
            self.stdout.write(plaintext)
        elif action == "list":
            self.list_keys()
        else:
            matches = partner_tokens().filter(prefix__startswith=options["prefix"])
            if not options["prefix"] or matches.count() != 1:
                raise CommandError("Give the prefix of exactly one key (see `api_keys list`).")
            token = matches.get()
            revoke_key(token)
            self.stdout.write(f"Revoked the key of {token.name!r}.")

    def list_keys(self):
        tokens = partner_tokens()
        usage.flush(list(tokens.values_list("pk", flat=True)))
        today = timezone.localdate()
        tokens = tokens.annotate(
            today=Sum("partner_usage__requests", filter=Q(partner_usage__day=today))
        ).order_by("revoked_at", "name")
        for token in tokens:
            status = "revoked" if token.revoked_at else "active"
            used = (
                token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
            )
            self.stdout.write(
                f"{token.prefix}…  {status:<7}  last used {used}  "
                f"requests today {token.today or 0}  {token.name}"
            )
