"""The Newsletter admin: listing, filters, search, CSV export and import, editions, test edition,
data requests."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from healthpress.newsletter.models import Subscriber
from healthpress.newsletter.pipeline import send_newsletter

pytestmark = pytest.mark.django_db
SUBSCRIBERS = "/admin/snippets/newsletter/subscriber/"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_subscribers_are_listed_filtered_and_searched(admin_client, make_subscriber):
    make_subscriber("confirmed@example.org")
    make_subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    listing = admin_client.get(SUBSCRIBERS)
    assert listing.status_code == 200
    assert b"confirmed@example.org" in listing.content and b"pending@example.org" in listing.content
    filtered = admin_client.get(SUBSCRIBERS, {"status": "pending"})
    assert b"pending@example.org" in filtered.content
    assert b"confirmed@example.org" not in filtered.content
    found = admin_client.get(SUBSCRIBERS, {"q": "confirmed@"})
    assert b"confirmed@example.org" in found.content
    assert b"pending@example.org" not in found.content


def test_csv_export_defuses_spreadsheet_formulas(admin_client, make_subscriber):
    make_subscriber("=cmd@example.org", consent_source='=HYPERLINK("x")')
    make_subscriber("plain@example.org")
    response = admin_client.get(SUBSCRIBERS, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_email = {row["Email"]: row for row in rows}
    assert set(by_email) == {"'=cmd@example.org", "plain@example.org"}
    assert by_email["'=cmd@example.org"]["Consent source"].startswith("'=")


def csv_upload(text):
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def test_import_requires_an_explicit_consent_choice_and_a_source(admin_client):
    response = admin_client.post(
        "/admin/newsletter_import/", {"file": csv_upload("email\na@example.org\n")}
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not Subscriber.objects.exists()


def test_import_of_consented_people_confirms_them_and_records_the_source(
    admin_client, make_subscriber
):
    make_subscriber("known@example.org")
    data = "name,email\nAna,ana@Example.org\nBo,known@example.org\nX,not-an-email\nY,a\r\nb\n"
    response = admin_client.post(
        "/admin/newsletter_import/",
        {"file": csv_upload(data), "source": "Spring fair sheet", "consent": "consented"},
    )
    assert response.status_code == 200
    assert b"Added 1; already known 1; invalid 3." in response.content
    ana = Subscriber.objects.get(email="ana@example.org")
    assert ana.status == Subscriber.Status.CONFIRMED and ana.articles_since
    assert ana.consent_source == "import: Spring fair sheet (by editor)"


def test_import_without_known_consent_sends_confirmation_emails(admin_client, smtp_server):
    admin_client.post(
        "/admin/newsletter_import/",
        {"file": csv_upload("b@example.org\n"), "source": "Old list", "consent": "confirm"},
    )
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    [message] = smtp_server.to("b@example.org")
    assert "Confirm" in message["Subject"]


def test_edition_history_shows_counts(admin_client, smtp_server, make_subscriber, make_article):
    make_subscriber("a@example.org")
    make_subscriber("b@example.org")
    make_article()
    smtp_server.reject_next = ["550 5.1.1 No such user"]
    send_newsletter()
    page = admin_client.get("/admin/newsletter_editions/")
    assert page.status_code == 200
    [html] = re.findall(r'<table class="listing">(.*?)</table>', page.content.decode(), re.S)
    headers = re.findall(r"<th\b[^>]*>\s*(?:<a[^>]*>)?\s*([^<]*?)\s*<", html)
    [row] = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    counts = dict(zip(headers, cells, strict=True))
    assert {k: counts[k] for k in ("Sent", "Failed", "Skipped", "Pending")} == {
        "Sent": "1",
        "Failed": "1",
        "Skipped": "0",
        "Pending": "0",
    }
    assert counts["Finished"] != "in progress"


def test_editions_are_a_read_only_listing_for_those_who_change_subscribers(
    client, smtp_server, make_subscriber, make_article
):
    from django.contrib.auth.models import Permission

    make_subscriber("a@example.org")
    make_article()
    send_newsletter()
    editor = get_user_model().objects.create_user("news", "news@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/newsletter_editions/").status_code in (302, 403)
    assert b"Editions" not in client.get("/admin/").content
    editor.user_permissions.add(Permission.objects.get(codename="change_subscriber"))
    listing = client.get("/admin/newsletter_editions/")
    assert listing.status_code == 200 and b"?ordering=" in listing.content
    assert client.get("/admin/newsletter_editions/results/").status_code == 200
    for url in ("new/", "edit/1/", "delete/1/", "copy/1/"):
        assert client.get(f"/admin/newsletter_editions/{url}").status_code == 404


def test_send_a_test_edition_to_me(admin_client, smtp_server, make_article, make_subscriber):
    make_subscriber("subscriber@example.org")
    make_article()
    admin_client.post("/admin/newsletter_test_edition/")
    [message] = smtp_server.messages
    assert message["X-Envelope-To"] == "editor@example.org"
    assert message["Subject"].startswith("[Test] New on HealthPress")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_data_request_exports_and_erases_from_the_admin(admin_client, make_subscriber):
    make_subscriber("reader@example.org", consent_ip="203.0.113.0")
    exported = admin_client.post(
        "/admin/newsletter_data/", {"email": "reader@example.org", "action": "export"}
    )
    record = json.loads(exported.content)
    assert record["email"] == "reader@example.org"
    assert record["consent"]["network"] == "203.0.113.0"
    refused = admin_client.post(
        "/admin/newsletter_data/", {"email": "reader@example.org", "action": "erase"}
    )
    assert b"Tick this box to erase." in refused.content and Subscriber.objects.exists()
    admin_client.post(
        "/admin/newsletter_data/",
        {"email": "reader@example.org", "action": "erase", "confirm_erase": "on"},
    )
    assert not Subscriber.objects.exists()


def test_newsletter_admin_is_for_staff_with_permission(client, make_subscriber):
    user = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    client.force_login(user)
    for url in (
        "/admin/newsletter_data/",
        "/admin/newsletter_import/",
        "/admin/newsletter_editions/",
        SUBSCRIBERS,
    ):
        assert client.get(url).status_code in (302, 403)


def test_data_command_exports_and_erases(make_subscriber, capsys, smtp_server, make_article):
    make_subscriber("reader@example.org")
    make_article()
    send_newsletter()
    call_command("newsletter_data", "export", "Reader@Example.org")
    record = json.loads(capsys.readouterr().out)
    assert record["deliveries"][0]["status"] == "sent"
    call_command("newsletter_data", "erase", "reader@example.org", "--yes")
    assert not Subscriber.objects.exists()
    with pytest.raises(CommandError, match="Nothing is stored"):
        call_command("newsletter_data", "export", "reader@example.org")


def test_the_admin_menu_has_a_newsletter_group(admin_client):
    home = admin_client.get("/admin/")
    assert home.status_code == 200
    for label in ("Newsletter", "Subscribers", "Editions", "Import CSV", "Data requests"):
        assert label.encode() in home.content
    for url in ("/admin/newsletter_editions/", "/admin/newsletter_test_edition/"):
        assert admin_client.get(url).status_code == 200
