"""Two-step sign-in for staff: a TOTP app (django-otp) after the password, recovery codes for a
lost phone.

The rule, in one place: a staff member who has set up an authenticator must enter a code before
the admin opens, whatever the settings say; with ADMIN_TWO_FACTOR on (the production default),
superusers and members of ADMIN_TWO_FACTOR_GROUPS who have none are sent to set one up first.
"""

from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMIN_PREFIX = "/admin/"
# The pages a signed-in but unverified user may still reach: entering a code, setting up a first
# app, the way out, and the admin's icons and translations that those pages load (the icons
# script would paste a redirected page into the document). Managing codes is not among them: a
# password alone must not turn the second step off.
OPEN_PATHS = (
    "/admin/two-factor/verify/",
    "/admin/two-factor/setup/",
    "/admin/login/",
    "/admin/logout/",
    "/admin/jsi18n/",
    "/admin/sprite/",
)
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_admin_access(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def must_use_two_factor(user):
    """Whether this user may not open the admin without a second factor."""
    if user_has_device(user):
        return True
    if not settings.ADMIN_TWO_FACTOR:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.ADMIN_TWO_FACTOR_GROUPS).exists()


def has_authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def next_step(user):
    """The URL name of the page this user must pass before the admin, or None."""
    if not has_admin_access(user) or user.is_verified() or not must_use_two_factor(user):
        return None
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
    from django.utils import timezone

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


class StaffTwoFactorMiddleware:
    """After django-otp's OTPMiddleware: sends a signed-in staff member who still owes a code
    (or has yet to set up an app) to that page before any admin page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(ADMIN_PREFIX) and not path.startswith(OPEN_PATHS):
            step = next_step(request.user)
            if step:
                return redirect(
                    reverse(step) + "?" + urlencode({"next": request.get_full_path()})
                )
        return self.get_response(request)
