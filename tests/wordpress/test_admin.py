"""The admin's WordPress import (Settings → WordPress import): superusers only, files from the
import folder only, a background run with its report."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from healthpress.articles.models import ArticlePage
from healthpress.wordpress.models import ImportRun

CLINIC = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress" / "clinic.xml"
URL = "/admin/wordpress-import/"


@pytest.fixture
def folder(tmp_path, settings):
    settings.WORDPRESS_IMPORT_DIR = str(tmp_path / "imports")
    (tmp_path / "imports" / "uploads").mkdir(parents=True)
    shutil.copy(CLINIC, tmp_path / "imports" / "clinic.xml")
    (tmp_path / "secret.xml").write_text("<rss/>")
    return tmp_path / "imports"


@pytest.fixture
def admin(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("admin", password="pw"))
    return client


def start(admin, committed, **data):
    with committed():
        return admin.post(URL, {"export": "clinic.xml", "uploads": "uploads", **data})


def test_a_dry_run_from_the_admin_runs_in_the_background_and_keeps_its_report(
    admin, folder, committed
):
    page = admin.get(URL).content.decode()
    assert "clinic.xml" in page and "secret.xml" not in page
    response = start(admin, committed, dry_run="on")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{run.pk}/"
    assert run.status == ImportRun.Status.DONE and run.total == 8
    assert not ArticlePage.objects.exists()  # a dry run
    detail = admin.get(f"{URL}{run.pk}/").content.decode()
    assert "Dry run: nothing was written." in detail and "shortcode [calculator]" in detail
    csv = admin.get(f"{URL}{run.pk}/report.csv")
    assert csv["Content-Type"].startswith("text/csv") and b"post,created,4" in csv.content


def test_an_import_from_the_admin_writes_drafts(admin, folder, committed):
    start(admin, committed)
    assert ArticlePage.objects.count() == 4
    assert not ArticlePage.objects.filter(live=True).exists()


def test_only_files_in_the_import_folder_can_be_chosen(admin, folder, committed):
    for name in ("../secret.xml", str(folder.parent / "secret.xml"), "nowhere.xml"):
        response = start(admin, committed, export=name, dry_run="on")
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_broken_export_fails_with_its_reason_and_writes_nothing(admin, folder, committed):
    (folder / "clinic.xml").write_text(CLINIC.read_text()[:4000])
    start(admin, committed)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "not well-formed XML" in run.error and "Nothing was imported" in run.error
    assert "Nothing was imported" in admin.get(f"{URL}{run.pk}/").content.decode()
    assert not ArticlePage.objects.exists()


def test_editors_and_reviewers_are_refused(client, django_user_model, folder, home, committed):
    for group in ("Editors", "Medical reviewers"):
        user = django_user_model.objects.create_user(group, password="pw")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        assert client.get(URL).status_code == 403
        with committed():
            assert client.post(URL, {"export": "clinic.xml"}).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_run_is_done_once(admin, folder, committed):
    from healthpress.wordpress.tasks import run_import

    start(admin, committed, dry_run="on")
    run = ImportRun.objects.get()
    assert run_import.call(run.pk) == "already run"
