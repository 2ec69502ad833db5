"""The admin's side of signing in: the two-step pages (two_factor.py, views.py), their entry in
the account menu, django-axes' list of locked-out logins, and the permissions of Django's own
that make their holders sign in with a second step."""

from axes.models import AccessAttempt
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .two_factor import PERMISSIONS_HOOK


class LoginLockoutViewSet(ModelViewSet):
    """django-axes' record of failed admin logins, under Settings: who is locked out, from
    where, since when. Deleting a record unlocks that username and address at once (as
    `manage.py axes_reset_username NAME` does)."""

    model = AccessAttempt
    icon = "lock"
    menu_label = "Login lockouts"
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    form_fields = ["username", "ip_address", "failures_since_start"]


@hooks.register("register_admin_viewset")
def register_login_lockouts():
    return LoginLockoutViewSet("login_lockouts")


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", views.manage, name="two_factor_manage"),
        path("two-factor/setup/", views.setup, name="two_factor_setup"),
        path("two-factor/verify/", views.verify, name="two_factor_verify"),
        path(
            "two-factor/recovery-codes/",
            views.new_recovery_codes,
            name="two_factor_recovery_codes",
        ),
        path("two-factor/turn-off/", views.turn_off, name="two_factor_turn_off"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_manage"),
        "label": "Two-step sign-in",
        "help_text": "An authenticator app and recovery codes for signing in.",
    }


@hooks.register(PERMISSIONS_HOOK)
def managing_people():
    # Whoever makes accounts or changes groups can hand themselves every other power.
    return ["auth.add_user", "auth.change_user", "auth.add_group", "auth.change_group"]
