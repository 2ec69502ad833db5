"""A database outage shows a readable 503, not a stack trace; other failures a styled 500."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from healthpress import urls as project_urls


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


def broken(request):
    raise ValueError("a bug")


urlpatterns = [
    path("db-down/", database_down),
    path("broken/", broken),
    *project_urls.urlpatterns,
]
handler500 = project_urls.handler500


@pytest.fixture
def raw_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_database_outage_answers_503_with_a_readable_page(raw_client, db):
    response = raw_client.get("/db-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "cannot reach its database" in html
    assert "Connection refused" not in html and "Traceback" not in html


def test_other_errors_answer_a_styled_500_without_details(raw_client, db):
    response = raw_client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "a bug" not in response.content.decode()


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == "database: ok\ncache: ok\npage cache: ok\n"
    assert response["Cache-Control"] == "no-store"
