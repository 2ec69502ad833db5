"""Who may read the API and how often: keys (401/403), read-only (405), rate limits (429),
anonymous reads, CORS, and counting requests without a database write each."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from wagtail.models import APIToken

from healthpress.api import usage
from healthpress.api.keys import PARTNER_GROUP, create_key, revoke_key
from healthpress.api.models import KeyUsage

pytestmark = pytest.mark.django_db

URL = "/api/v1/topics"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # rate-limit windows and usage counters of earlier tests
    yield
    cache.clear()


def test_no_key_is_401_with_a_clear_message(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Send your API key in the X-API-Key header."}


@pytest.mark.parametrize("bad", ["nope", "wagtail_" + "A" * 33, ""])
def test_unknown_key_is_401(client, bad):
    assert client.get(URL, headers={"X-API-Key": bad}).status_code == 401


def test_revoked_key_is_401(db):
    token, key = create_key("Riverside GP practice")
    assert Client(headers={"X-API-Key": key}).get(URL).status_code == 200
    revoke_key(token)
    response = Client(headers={"X-API-Key": key}).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown or revoked API key."}


def test_a_staff_members_wagtail_token_is_403(db):
    editor = get_user_model().objects.create_user("editor", is_staff=True)
    _, key = APIToken.create_token(user=editor, name="my own token")
    response = Client(headers={"X-API-Key": key}).get(URL)
    assert response.status_code == 403
    # A token of a partner user who was made staff later is refused the same way.
    token, key = create_key("Clinic")
    get_user_model().objects.filter(pk=token.user_id).update(is_staff=True)
    assert Client(headers={"X-API-Key": key}).get(URL).status_code == 403


def test_partner_users_hold_no_permission_and_cannot_sign_in(db):
    token, _ = create_key("Clinic")
    user = token.user
    assert list(user.groups.values_list("name", flat=True)) == [PARTNER_GROUP]
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert not user.get_all_permissions()
    assert not user.has_perm("wagtailadmin.access_admin")


def test_keys_are_stored_hashed(db):
    token, key = create_key("Clinic")
    assert key not in {token.key_hash, token.prefix}
    assert token.key_hash == APIToken.hash_token(key)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [URL, "/api/v1/articles/1", "/api/v1/manifest"])
def test_writes_are_405(api, method, url):
    response = getattr(api, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_each_key_is_rate_limited_with_retry_after(api, settings, key):
    settings.API_RATE_LIMITS = [(3, 60)]
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    # Another partner's key has its own allowance.
    _, other = create_key("Another clinic")
    assert Client(headers={"X-API-Key": other}).get(URL).status_code == 200


def test_anonymous_reads_when_allowed_at_their_own_low_rate(client, settings):
    settings.API_ANONYMOUS_READS = True
    settings.API_ANONYMOUS_RATE_LIMITS = [(2, 3600)]
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    # A wrong key is still refused, not read anonymously.
    assert client.get(URL, headers={"X-API-Key": "nope"}).status_code == 401


def test_no_cors_headers_by_default(api):
    response = api.get(URL, headers={"Origin": "https://clinic.example"})
    assert "Access-Control-Allow-Origin" not in response
    preflight = api.options(
        URL, headers={"Origin": "https://clinic.example", "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_cors_for_allowed_origins_only(api, settings):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://clinic.example"]
    allowed = api.get(URL, headers={"Origin": "https://clinic.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://clinic.example"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Origin" in allowed["Vary"]
    other = api.get(URL, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    preflight = api.options(
        URL,
        headers={
            "Origin": "https://clinic.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key",
        },
    )
    assert preflight.status_code == 204
    assert "X-API-Key" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Allow-Methods"] == "GET"


def test_requests_are_counted_per_day_without_a_write_each(
    db, settings, django_assert_max_num_queries
):
    settings.API_USAGE_FLUSH_SECONDS = 3600
    token, key = create_key("Clinic")
    partner = Client(headers={"X-API-Key": key})
    partner.get(URL)  # the first request flushes (and stamps last use)
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Later requests: the key lookup and the page's own reads, no write.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            partner.get(URL)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    usage.flush([token.pk])
    assert KeyUsage.objects.get(token=token).requests == 6


def test_api_keys_command_prints_the_key_once(db, capsys):
    call_command("api_keys", "create", "Riverside GP practice")
    out = capsys.readouterr()
    key = out.out.strip()
    token = APIToken.objects.get()
    assert token.key_hash == APIToken.hash_token(key) and token.name == "Riverside GP practice"
    assert key not in out.err
    call_command("api_keys", "list")
    listed = capsys.readouterr().out
    assert token.prefix in listed and key not in listed
    call_command("api_keys", "revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_api_keys_command_has_help():
    from django.core.management import load_command_class

    command = load_command_class("healthpress.api", "api_keys")
    text = " ".join(command.create_parser("manage.py", "api_keys").format_help().split())
    assert "prints the new key once" in text


class TestAdminPage:
    @pytest.fixture
    def admin(self, client, django_user_model):
        user = django_user_model.objects.create_superuser("admin", password="pw")
        client.force_login(user)
        return client

    def test_create_shows_the_key_once(self, admin):
        response = admin.post("/admin/api-keys/", {"name": "Riverside GP practice"})
        assert response.status_code == 200
        token = APIToken.objects.get()
        key = response.context["plaintext"]
        assert token.key_hash == APIToken.hash_token(key)
        assert key in response.content.decode()
        assert key not in admin.get("/admin/api-keys/").content.decode()
        assert key not in admin.get(f"/admin/api-keys/{token.pk}/").content.decode()

    def test_listing_shows_last_use_and_requests_per_day(self, admin, settings):
        settings.API_USAGE_FLUSH_SECONDS = 3600
        token, key = create_key("Riverside GP practice")
        for _ in range(4):
            Client(headers={"X-API-Key": key}).get(URL)
        page = admin.get("/admin/api-keys/")
        row = page.context["keys"].get(pk=token.pk)
        assert (row.requests_today, row.requests_week) == (4, 4)
        assert row.last_used_at is not None
        detail = admin.get(f"/admin/api-keys/{token.pk}/").content.decode()
        assert "<td>4</td>" in detail

    def test_revoke(self, admin):
        token, key = create_key("Riverside GP practice")
        assert admin.get(f"/admin/api-keys/{token.pk}/revoke/").status_code == 405
        response = admin.post(f"/admin/api-keys/{token.pk}/revoke/")
        assert response.status_code == 302
        assert Client(headers={"X-API-Key": key}).get(URL).status_code == 401

    def test_staff_without_the_permissions_are_refused(self, client, django_user_model):
        from django.contrib.auth.models import Group

        editor = django_user_model.objects.create_user("editor", password="pw")
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)
        token, _ = create_key("Riverside GP practice")
        assert client.get("/admin/api-keys/").status_code == 403
        assert client.post("/admin/api-keys/", {"name": "x"}).status_code == 403
        assert client.post(f"/admin/api-keys/{token.pk}/revoke/").status_code == 403
        assert APIToken.objects.filter(revoked_at__isnull=True).count() == 1
