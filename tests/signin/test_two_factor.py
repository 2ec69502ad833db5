"""Two-step sign-in for staff (signin/two_factor.py): who must use it, setting it up at the first
sign-in, codes from the app and recovery codes, and what a stolen password alone cannot do."""

import re
import time

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .steps import code_for, set_up, sign_in, staff_in

pytestmark = pytest.mark.django_db


def test_first_sign_in_of_a_superuser_sets_up_an_app_before_the_admin_opens(
    client, superuser, required
):
    sign_in(client, "chief")
    home = client.get("/admin/")
    assert home.status_code == 302
    assert home["Location"].startswith("/admin/two-factor/setup/?next=%2Fadmin%2F")
    assert client.get("/admin/pages/").status_code == 302  # every admin page, not only home

    setup = client.get(home["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    assert "<svg" in setup and "QR code to scan" in setup
    assert client.get("/admin/two-factor/setup/").content.decode().count("<svg") == 1
    assert TOTPDevice.objects.filter(user=superuser).count() == 1  # a reload keeps the key

    wrong = client.post("/admin/two-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    assert client.post("/admin/two-factor/setup/", {"code": "000000"}).status_code == 429
    time.sleep(1.1)  # django-otp's throttle: one second after the first wrong code

    done = client.post(
        "/admin/two-factor/setup/", {"code": f"{code_for(device):06d}", "next": "/admin/pages/"}
    )
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/admin/pages/"' in done.content.decode()
    assert client.get("/admin/").status_code == 200


def test_the_next_sign_in_asks_for_a_code_and_a_password_alone_cannot_get_round_it(
    client, superuser, required
):
    set_up(client, superuser)
    sign_in(client, "chief")
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/").url.startswith("/admin/two-factor/verify/")
    # What someone holding only the password might try: enrol their own phone, turn it off,
    # make fresh recovery codes.
    assert client.get("/admin/two-factor/setup/").url.startswith("/admin/two-factor/verify/")
    assert client.post("/admin/two-factor/turn-off/").url.startswith("/admin/two-factor/verify/")
    assert client.post("/admin/two-factor/recovery-codes/").status_code == 302
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=superuser).count() == 10

    device = TOTPDevice.objects.get(user=superuser)
    response = client.post(
        "/admin/two-factor/verify/", {"code": f"{code_for(device, 1):06d}", "next": "/admin/"}
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_signs_in_once(client, superuser, required):
    codes = set_up(client, superuser)
    sign_in(client, "chief")
    response = client.post("/admin/two-factor/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=superuser).count() == 9

    sign_in(client, "chief")
    reused = client.post("/admin/two-factor/verify/", {"code": codes[0]})
    assert reused.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_slow_down_further_tries(client, superuser, required):
    set_up(client, superuser)
    sign_in(client, "chief")
    statuses = [
        client.post("/admin/two-factor/verify/", {"code": "000000"}).status_code for _ in range(3)
    ]
    assert statuses[0] == 400
    assert 429 in statuses  # django-otp's throttle: a wait that doubles with each failure
    device = TOTPDevice.objects.get(user=superuser)
    throttled = client.post("/admin/two-factor/verify/", {"code": f"{code_for(device, 1):06d}"})
    assert throttled.status_code == 429 and "Wait" in throttled.content.decode()


@pytest.mark.parametrize("group", ["Medical reviewers", "Moderators", "Comment moderators"])
def test_reviewers_and_moderators_must_use_it(client, group, required):
    staff_in(group, "member")
    sign_in(client, "member")
    assert client.get("/admin/").url.startswith("/admin/two-factor/setup/")


def test_an_editor_may_choose_it_and_then_always_uses_it(client, required):
    editor = staff_in("Editors", "writer")
    sign_in(client, "writer")
    assert client.get("/admin/").status_code == 200  # not required of this group
    set_up(client, editor)
    sign_in(client, "writer")
    assert client.get("/admin/").url.startswith("/admin/two-factor/verify/")


def test_off_for_the_demo_but_whoever_set_it_up_still_uses_it(client, superuser, settings):
    settings.ADMIN_TWO_FACTOR = False  # make run
    sign_in(client, "chief")
    assert client.get("/admin/").status_code == 200
    set_up(client, superuser)
    sign_in(client, "chief")
    assert client.get("/admin/").url.startswith("/admin/two-factor/verify/")


def test_reset_command_for_a_lost_phone(client, superuser, required):
    set_up(client, superuser)
    call_command("reset_two_factor", "chief")
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    sign_in(client, "chief")
    assert client.get("/admin/").url.startswith("/admin/two-factor/setup/")
    with pytest.raises(Exception, match="No account"):
        call_command("reset_two_factor", "nobody")


def test_next_never_leads_off_the_site(client, superuser, required):
    set_up(client, superuser)
    sign_in(client, "chief")
    device = TOTPDevice.objects.get(user=superuser)
    response = client.post(
        "/admin/two-factor/verify/",
        {"code": f"{code_for(device, 1):06d}", "next": "https://evil.example/steal"},
    )
    assert response.url == "/admin/"


def test_managing_it_from_the_account_page(client, superuser, required):
    set_up(client, superuser)
    assert 'href="/admin/two-factor/"' in client.get("/admin/account/").content.decode()
    page = client.get("/admin/two-factor/").content.decode()
    assert "10 unused recovery codes" in page
    fresh = client.post("/admin/two-factor/recovery-codes/").content.decode()
    new_codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", fresh)
    assert len(new_codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    # Required of a superuser: turning it off means setting up another phone at once.
    response = client.post("/admin/two-factor/turn-off/")
    assert response.url == "/admin/two-factor/setup/"
    assert not TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()
    assert client.get("/admin/").url.startswith("/admin/two-factor/setup/")
