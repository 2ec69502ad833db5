"""What a member of staff does to sign in, step by step, for the sign-in tests."""

import re
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"


def staff_in(group_name, username, *permissions):
    """A user with admin access in the group `group_name`, which also gets `permissions`
    ("app_label.codename")."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for name in permissions:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user.groups.add(group)
    return user


def sign_in(client, username):
    """The password step at the admin's sign-in form."""
    client.cookies.clear()
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def code_for(device, steps_ahead=0):
    """The code the phone would show, `steps_ahead` periods from now (a code is accepted once,
    so a second sign-in in the same 30 s uses the next one, which the tolerance allows)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return totp.token()


def set_up(client, user):
    """Sign in and go through the setup page; returns the recovery codes shown."""
    sign_in(client, user.username)
    client.get("/admin/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/admin/two-factor/setup/", {"code": f"{code_for(device):06d}"})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


def enter_code(client, user, steps_ahead=1, next_url="/admin/"):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return client.post(
        "/admin/two-factor/verify/",
        {"code": f"{code_for(device, steps_ahead):06d}", "next": next_url},
    )


def asked_for_a_code(client):
    """Where the admin sends this session: to set up or enter a code, or nowhere (None)."""
    response = client.get("/admin/")
    if response.status_code == 302 and response["Location"].startswith("/admin/two-factor/"):
        return response["Location"].split("?")[0]
    assert response.status_code == 200
    return None
