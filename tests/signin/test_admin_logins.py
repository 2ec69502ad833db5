"""Admin sign-in: wrong passwords lock a username at one address, and one address across
usernames, for a while (django-axes; the rule in docs/security.md), passwords are long, idle
sessions end, and there is one login form only."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


SPRAYER = "203.0.113.9"


def sign_in(client, username, password, address="203.0.113.7"):
    client.cookies.clear()
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def minutes_pass(minutes):
    """Move every recorded failure back in time, as the clock moving on would."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_ten_wrong_passwords_lock_the_username_at_that_address_until_the_cool_off(
    client, editor, settings
):
    statuses = [sign_in(client, "editor", "wrong password").status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]  # the tenth locks the username at this address
    refused = sign_in(client, "editor", PASSWORD)
    assert refused.status_code == 429
    assert "Sign-in paused" in refused.content.decode()
    assert not signed_in(refused)
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)  # the cool-off is over
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_a_sprayer_locks_a_named_account_only_where_the_sprayer_is(client, editor):
    """Anyone can type a username: ten wrong passwords from one address must not keep its owner
    out everywhere."""
    for _ in range(12):
        sign_in(client, "editor", "wrong password", address=SPRAYER)
    assert sign_in(client, "editor", PASSWORD, address=SPRAYER).status_code == 429
    assert signed_in(sign_in(client, "editor", PASSWORD, address="198.51.100.2"))
    # and the owner's sign-in lifts nothing at the sprayer's address
    assert sign_in(client, "editor", PASSWORD, address=SPRAYER).status_code == 429


def test_a_sprayers_own_good_sign_ins_do_not_wipe_the_targets_failures(client, editor):
    """The attack of issue 24: nine guesses for the target, one good sign-in of the attacker's own
    account, three times. The target is locked by its tenth failure, never signed in."""
    get_user_model().objects.create_user("mallory", "m@example.org", "mallory's own password")
    statuses = []
    for _ in range(3):
        statuses += [
            sign_in(client, "editor", "wrong password", address=SPRAYER).status_code
            for _ in range(9)
        ]
        assert signed_in(sign_in(client, "mallory", "mallory's own password", address=SPRAYER))
    assert statuses[:9] == [200] * 9
    assert statuses[9:] == [429] * 18  # the tenth failure locked it, and it stayed locked
    right = sign_in(client, "editor", PASSWORD, address=SPRAYER)
    assert right.status_code == 429 and not signed_in(right)


def test_failures_during_a_lockout_do_not_extend_it(client, editor):
    """The cool-off counts from the lockout: one guess every fourteen minutes must not keep the
    owner out for good."""
    for _ in range(10):
        sign_in(client, "editor", "wrong password")
    minutes_pass(14)
    assert sign_in(client, "editor", "wrong password").status_code == 429
    assert sign_in(client, "editor", PASSWORD).status_code == 429  # still within the 15 minutes
    minutes_pass(2)  # sixteen minutes after the lockout, two after the last guess
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_one_address_is_locked_after_fifty_failures_across_usernames(client, editor):
    """One person behind an office's shared address cannot lock the office out with ten typos,
    but a spray over many usernames stops at ADMIN_ADDRESS_FAILURES (50)."""
    statuses = [
        sign_in(client, f"guess{n}", "wrong password", address=SPRAYER).status_code
        for n in range(50)
    ]
    assert statuses == [200] * 49 + [429]
    assert sign_in(client, "editor", PASSWORD, address=SPRAYER).status_code == 429
    assert signed_in(sign_in(client, "editor", PASSWORD, address="198.51.100.2"))


def test_ten_typos_of_one_colleague_leave_the_others_at_that_address_alone(client, editor):
    for _ in range(10):
        sign_in(client, "colleague", "wrong password", address=SPRAYER)
    assert signed_in(sign_in(client, "editor", PASSWORD, address=SPRAYER))


def test_a_lockout_is_listed_in_the_admin_and_the_unlock_command_lifts_it(client, editor):
    for _ in range(10):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    call_command("axes_reset_username", "editor")
    response = sign_in(client, "editor", PASSWORD)
    assert signed_in(response)
    for _ in range(3):
        sign_in(client, "reviewer", "wrong password", address="192.0.2.4")
    client.force_login(editor)
    listing = client.get("/admin/login_lockouts/").content.decode()
    assert "reviewer" in listing and "192.0.2.4" in listing


def test_hostile_usernames_are_shown_escaped_in_the_lockout_list(client, editor):
    sign_in(client, "<script>alert(1)</script>", "wrong password")
    client.force_login(editor)
    listing = client.get("/admin/login_lockouts/").content.decode()
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError):
        validate_password("Xk7#mq2!Lp")  # ten characters, otherwise strong
    validate_password("Xk7#mq2!Lp9@zR")


def test_sessions_end_after_twelve_idle_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST  # counted from the last request, not the login


def test_there_is_no_second_login_form(client):
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def test_an_ipv6_sprayer_counts_as_its_network(client, editor):
    """One subscriber holds a whole /48 of IPv6 addresses: ten guesses from ten of them are ten
    guesses from one address."""
    for n in range(10):
        sign_in(client, "editor", "wrong password", address=f"2001:db8:7:{n:x}::1")
    assert sign_in(client, "editor", PASSWORD, address="2001:db8:7:ff::2").status_code == 429
    assert signed_in(sign_in(client, "editor", PASSWORD, address="2001:db8:8::1"))
