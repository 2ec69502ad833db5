"""manage.py demo_admin: the demo's superuser "admin", made if missing, and how to sign in as it.

`make run` prints this block last, once the server answers (healthpress/launch/devserver.py);
`manage.py load_demo` prints it too, unless --no-admin.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from healthpress.demo.loader import admin_password_file, ensure_admin


def show_admin(command, account):
    """Write the admin's address, username, password (or where it is) and sign-in steps."""
    if account.password_from_env:
        password = "(the value of ADMIN_PASSWORD)"
    elif account.password:
        password = f"{account.password}  (stored in {admin_password_file()})"
    else:
        password = "unchanged (set it with ADMIN_PASSWORD=... or manage.py changepassword)"
    port = os.environ.get("PORT") or "8000"
    admin = f"http://127.0.0.1:{port}{reverse('wagtailadmin_home')}"
    command.stdout.write(command.style.SUCCESS(f"\nAdmin ({account.status}): {admin}"))
    command.stdout.write(f"  username: {account.username}")
    command.stdout.write(f"  password: {password}")
    if settings.ADMIN_TWO_FACTOR:
        command.stdout.write("  two-step sign-in: on; you set up an authenticator app first")
    else:
        command.stdout.write(
            "  two-step sign-in: off here (ADMIN_TWO_FACTOR=false); production asks it of "
            "superusers, medical reviewers and moderators"
        )


class Command(BaseCommand):
    help = (
        "Make the demo's superuser 'admin' if there is none, and print its address, username "
        "and password. The password is $ADMIN_PASSWORD if set, otherwise one generated on first "
        "run and kept in the var directory (admin_password); an existing admin's password is "
        "only changed when $ADMIN_PASSWORD is set. For the demo and local use only: a real "
        "site's administrators are made with createsuperuser (docs/deploy.md)."
    )

    def handle(self, *args, **options):
        show_admin(self, ensure_admin())
