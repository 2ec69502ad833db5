"""Admin sign-in: wrong passwords lock a username and an address out for a while (django-axes),
passwords are long, idle sessions end, and there is one login form only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, username, password, address="203.0.113.7"):
    client.cookies.clear()
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_ten_wrong_passwords_lock_the_username_until_the_cool_off(client, editor, settings):
    statuses = [sign_in(client, "editor", "wrong password").status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]  # the tenth locks the username
    refused = sign_in(client, "editor", PASSWORD, address="198.51.100.1")  # another address too
    assert refused.status_code == 429
    assert "Sign-in paused" in refused.content.decode()
    assert not signed_in(refused)
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)  # the cool-off is over
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_wrong_passwords_from_one_address_lock_that_address_only(client, editor):
    for n in range(10):
        sign_in(client, f"guess{n}", "wrong password", address="203.0.113.9")
    assert sign_in(client, "editor", PASSWORD, address="203.0.113.9").status_code == 429
    assert signed_in(sign_in(client, "editor", PASSWORD, address="198.51.100.2"))


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
