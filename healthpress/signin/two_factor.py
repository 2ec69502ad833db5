"""Two-step sign-in for staff: a TOTP app (django-otp) after the password, recovery codes for a
lost phone.

The rule, in one place. A signed-in session is verified (it passed the second step) or it owes
a code, if its user must use one (`must_use_two_factor`):
- whoever has set up an authenticator, whatever the settings say;
- with ADMIN_TWO_FACTOR on (the production default), whoever can do something sensitive
  (`holds_sensitive_powers`): a superuser; whoever may publish a page (Wagtail's page
  permissions); a member of a group on an active approval task of an active workflow; whoever
  holds a permission an app declares with the `register_two_factor_permissions` hook.
A session that owes a code is sent to that page before any admin page, the admin's sign-in form
included, and is an anonymous reader everywhere else: no private page or document opens for it
(StaffTwoFactorMiddleware). The powers are read on every request, so a permission granted
during a session asks for the code at once.
"""

from base64 import b32encode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import hooks
from wagtail.models import AbstractGroupApprovalTask
from wagtail.permission_policies.pages import PagePermissionPolicy

# The admin pages (URL names) a session that owes a code may still reach: entering a code,
# setting up a first app, the way out, and the admin's icons and translations that those pages
# load (the icons script would paste a redirected page into the document). Not the sign-in form
# (a signed-in session passing it would be let through to its `next`), nor managing codes: a
# password alone must not turn the second step off.
OPEN_URL_NAMES = (
    "two_factor_verify",
    "two_factor_setup",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
)
# Each app names the permissions that make its holders sign in with a second step, in its own
# wagtail_hooks.py: `@hooks.register(PERMISSIONS_HOOK)` on a function returning
# "app_label.codename" strings.
PERMISSIONS_HOOK = "register_two_factor_permissions"
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_admin_access(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def open_paths():
    """The addresses of OPEN_URL_NAMES, as reverse() writes them (with any script prefix)."""
    return tuple(reverse(name) for name in OPEN_URL_NAMES)


def sensitive_permissions():
    """Every permission the apps declare sensitive (PERMISSIONS_HOOK)."""
    return {name for declare in hooks.get_hooks(PERMISSIONS_HOOK) for name in declare()}


def approves_in_a_workflow(user):
    """A member of a group on an active group-approval task (Wagtail's, Medical review, any
    subclass of AbstractGroupApprovalTask) of an active workflow. A task that chooses its
    approvers some other way declares a permission through the hook instead."""
    groups = user.groups.all()
    return any(
        model.objects.filter(
            active=True, workflow_tasks__workflow__active=True, groups__in=groups
        ).exists()
        for model in apps.get_models()
        if issubclass(model, AbstractGroupApprovalTask)
    )


def holds_sensitive_powers(user):
    """Whether this user can do something a stolen password must not be enough for."""
    if not user.is_active:
        return False
    return (
        user.is_superuser
        or any(user.has_perm(name) for name in sensitive_permissions())
        or PagePermissionPolicy().user_has_permission(user, "publish")
        or approves_in_a_workflow(user)
    )


def must_use_two_factor(user):
    """Whether this user may not open the admin without a second factor."""
    if user_has_device(user):
        return True
    return settings.ADMIN_TWO_FACTOR and holds_sensitive_powers(user)


def has_authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def owes_code(user):
    return user.is_authenticated and not user.is_verified() and must_use_two_factor(user)


def next_step(user):
    """The URL name of the page a user who owes a code goes to: entering it, or setting up the
    authenticator that will give it."""
    return "two_factor_verify" if user_has_device(user) else "two_factor_setup"


def pending_authenticator(user):
    """The unconfirmed TOTP device a user is setting up, made once and kept until confirmed, so
    reloading the page does not change the QR code under the phone that is scanning it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def authenticator_secret(device):
    """The key as authenticator apps take it typed in: base32, no padding."""
    return b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def confirm_authenticator(request, device, token):
    """Confirm a new authenticator with its first code. Returns (fresh recovery codes or None,
    seconds to wait when django-otp's throttle is on). Any authenticator the user had before is
    replaced."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return None, _wait_seconds(details)
    if not device.verify_token(token):
        return None, 0
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return new_recovery_codes(device.user), 0


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_CODES new ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, code):
    """Check a code from the app (six digits) or a recovery code; on success the session is
    verified. Returns (device or None, seconds to wait when django-otp's throttle is on)."""
    code = "".join(code.split()).lower()
    wanted = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(request.user, for_verify=True):
            if not isinstance(device, wanted):
                continue
            allowed, details = device.verify_is_allowed()
            if not allowed:
                return None, _wait_seconds(details)
            if device.verify_token(code):
                otp_login(request, device)
                return device, 0
    return None, 0


def _wait_seconds(details):
    until = (details or {}).get("locked_until")
    return max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1


def reset(user):
    """Forget every second factor of a user (a lost phone and lost codes): they set up a new
    one at their next sign-in."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.filter(confirmed=True).count()
        devices.delete()
    return removed


def anonymous_reader():
    reader = AnonymousUser()
    reader.otp_device = None  # as django-otp's OTPMiddleware gives every user
    reader.is_verified = lambda: False
    return reader


class StaffTwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a session that owes a code is sent to that page (or to
    set up an app first) before any admin page, and outside the admin it is an anonymous
    reader, so login-restricted pages and private documents send it to sign in, which leads to
    the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, nobody signed in; and reading request.user would load the session and
            # add "Vary: Cookie", which keeps a reader's page out of the page cache.
            return self.get_response(request)
        user = request.user
        if owes_code(user):
            path = request.path  # with the script prefix, as reverse() writes the admin's
            if not path.startswith(reverse("wagtailadmin_home")):
                reader = anonymous_reader()
                request.user = reader

                async def auser():
                    return reader

                request.auser = auser
            elif not path.startswith(open_paths()) and has_admin_access(user):
                return redirect(
                    reverse(next_step(user)) + "?" + urlencode({"next": request.get_full_path()})
                )
        return self.get_response(request)
