"""The "Reviews due" admin report."""

import datetime

import pytest
from django.utils import timezone

from healthpress.articles.review import reviews_due, set_review
from healthpress.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_mix(make_article):
    """Articles reviewed long ago, recently, and due in 10 and 40 days; one never reviewed."""
    reviewer = Person.objects.create(name="Kofi Mensah", credentials="MBBS")
    today = timezone.localdate()
    made = {}
    for name, due_in in [("overdue", -5), ("soon", 10), ("later", 40), ("fresh", 700)]:
        page = make_article(f"Question {name}?")
        set_review(page, reviewer, today - datetime.timedelta(days=30))
        page.next_review_due = today + datetime.timedelta(days=due_in)
        page.save_revision().publish()
        made[name] = page
    made["never"] = make_article("Question never?")
    made["draft"] = make_article("Question draft?", publish=False)
    return made


def test_lists_overdue_due_soon_and_never_reviewed_soonest_first(due_mix):
    titles = [page.title for page in reviews_due()]
    assert titles == ["Question never?", "Question overdue?", "Question soon?"]


def test_report_page_for_editors(admin_client, due_mix):
    response = admin_client.get("/admin/reports/reviews-due/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reviews due" in html
    for name in ("overdue", "soon", "never"):
        assert f"Question {name}?" in html
    assert "Question later?" not in html and "Question fresh?" not in html
    assert "Overdue" in html and "Due within 30 days" in html and "Not medically reviewed" in html
    assert f'href="/admin/pages/{due_mix["overdue"].pk}/edit/"' in html


def test_report_exports_csv(admin_client, due_mix):
    response = admin_client.get("/admin/reports/reviews-due/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Article,Author,Last reviewed by")
    assert "Question overdue?" in body


def test_report_is_in_the_reports_menu(admin_client, due_mix):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/reports/reviews-due/" in html


def test_report_is_not_for_readers(client, due_mix):
    response = client.get("/admin/reports/reviews-due/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_settings_and_policy_screens_render(admin_client, home):
    assert (
        admin_client.get(
            f"/admin/settings/articles/reviewsettings/{home.get_site().pk}/"
        ).status_code
        == 200
    )
    add_policy = f"/admin/pages/add/core/editorialpolicypage/{home.pk}/"
    assert admin_client.get(add_policy).status_code == 200


def test_report_is_not_for_staff_who_edit_no_pages(client, due_mix, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", "clerk@example.org", "pw-clerk-long")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    response = client.get("/admin/reports/reviews-due/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    results = client.get("/admin/reports/reviews-due/results/").content.decode()
    assert due_mix["overdue"].title not in results
