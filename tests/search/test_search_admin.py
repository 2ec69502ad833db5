import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthpress.search.models import SearchLog, Synonym

REPORT = "/admin/reports/searches-without-results/"


def test_synonyms_are_listed_and_editable_in_the_admin(admin_client):
    assert admin_client.get("/admin/snippets/search/synonym/").status_code == 200
    response = admin_client.post(
        "/admin/snippets/search/synonym/add/",
        {"terms": "Sore throat,  pharyngitis ,", "note": "GP wording"},
    )
    assert response.status_code == 302
    synonym = Synonym.objects.get(note="GP wording")
    assert synonym.terms == "sore throat, pharyngitis"


def test_a_synonym_group_needs_two_terms(db):
    with pytest.raises(ValidationError):
        Synonym(terms="cramp").full_clean()


def test_search_promotions_admin_is_available(admin_client):
    assert admin_client.get("/admin/searchpicks/").status_code == 200


def rows(html):
    """(query, searches) of each row of the report's table."""
    listing = html[html.index('id="listing-results"') :]
    if "<tbody>" not in listing:
        return []
    body = listing[listing.index("<tbody>") : listing.index("</tbody>")]
    cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", body, re.S)
    return [(cells[i], cells[i + 1]) for i in range(0, len(cells), 3)]


def test_no_results_report_lists_frequent_empty_searches(admin_client):
    SearchLog.objects.create(query="zzz", result_count=0, took_ms=1)
    SearchLog.objects.create(query="zzz", result_count=0, took_ms=1)
    SearchLog.objects.create(query="<b>odd</b>", result_count=0, took_ms=1)
    SearchLog.objects.create(query="cramp", result_count=3, took_ms=1)
    html = admin_client.get(REPORT).content.decode()
    assert "3 of 4 searches" in html
    assert rows(html) == [("zzz", "2"), ("&lt;b&gt;odd&lt;/b&gt;", "1")]
    assert admin_client.get(REPORT, {"days": "nonsense", "p": "x"}).status_code == 200


def test_no_results_report_is_for_the_chosen_period(admin_client):
    old = SearchLog.objects.create(query="last winter", result_count=0, took_ms=1)
    SearchLog.objects.filter(pk=old.pk).update(searched_at=timezone.now() - timedelta(days=60))
    SearchLog.objects.create(query="today", result_count=0, took_ms=1)
    assert [q for q, _ in rows(admin_client.get(REPORT).content.decode())] == ["today"]
    html = admin_client.get(REPORT, {"days": "365"}).content.decode()
    assert sorted(q for q, _ in rows(html)) == ["last winter", "today"]
    assert "2 of 2 searches in the last 365 days" in html


def test_no_results_report_exports_csv(admin_client):
    SearchLog.objects.create(query="zzz", result_count=0, took_ms=1)
    response = admin_client.get(REPORT, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0] == "Query,Searches,Last searched"
    assert text.splitlines()[1].startswith("zzz,1,")


def test_report_is_refused_without_permission(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-editor-1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(REPORT).status_code in (302, 403)
    group = Group.objects.create(name="Search editors")
    group.permissions.add(Permission.objects.get(codename="view_searchlog"))
    user.groups.add(group)
    assert client.get(REPORT).status_code == 200


def test_report_is_in_the_reports_menu(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "searches-without-results" in html or REPORT in html
