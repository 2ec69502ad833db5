"""One sign-in, one second step: Wagtail's front-end login and shared passwords give nothing, a
login-restricted page or document sends the reader to the admin's sign-in, and a session that
still owes a code opens no private page, document, preview or admin page."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from .steps import PASSWORD, enter_code, set_up, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_page(make_article):
    article = make_article("Is this page for staff only?")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    return article


@pytest.fixture
def private_document(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    collection = Collection.get_first_root_node().add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model().objects.create(
        title="Rota", collection=collection, file=ContentFile(b"the rota", name="rota.txt")
    )
    return document.url


def opens(client, url):
    return client.get(url).status_code == 200


def body(client, url):
    response = client.get(url)
    return b"".join(response.streaming_content if response.streaming else [response.content])


def test_restricted_pages_and_documents_send_readers_to_the_admin_sign_in(
    client, private_page, private_document
):
    for url in (private_page.url, private_document):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


def test_wagtails_front_end_login_signs_nobody_in(
    client, superuser, required, private_page, private_document
):
    response = client.post(
        "/_util/login/?next=" + private_page.url, {"username": "chief", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=" + private_page.url.replace("/", "%2F")
    assert "_auth_user_id" not in client.session
    assert not opens(client, private_page.url)
    assert not opens(client, private_document)


def test_a_session_that_owes_a_code_opens_no_private_page_document_or_preview(
    client, superuser, required, private_page, private_document
):
    set_up(client, superuser)
    sign_in(client, "chief")  # the password, not yet the code
    for url in (
        private_page.url,
        private_document,
        f"/admin/pages/{private_page.pk}/edit/preview/",
        f"/admin/pages/{private_page.pk}/view_draft/",
        "/_util/login/",
    ):
        assert not opens(client, url), url
    # Followed as a browser would, the private page leads to the code and then to the page.
    chain = client.get(private_page.url, follow=True).redirect_chain
    assert chain[-1][0].startswith("/admin/two-factor/verify/")
    verified = enter_code(client, superuser, next_url=private_page.url)
    assert verified["Location"] == private_page.url
    assert opens(client, private_page.url)
    assert opens(client, private_document)


def test_a_session_that_owes_a_code_is_an_anonymous_reader_on_the_public_site(
    client, superuser, required, make_article
):
    article = make_article("Is this page public?")
    sign_in(client, "chief")
    response = client.get(article.url)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_shared_passwords_open_nothing(client, make_article, settings, tmp_path):
    """A page password is one more password form, with no account behind it, no lockout and no
    second step: the option is off and its two endpoints answer 404."""
    article = make_article("Is this page behind a shared password?")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/",
        {"password": "letmein", "return_url": article.url},
    )
    assert response.status_code == 404
    assert b"Mostly tired muscles" not in body(client, article.url)  # the password form only

    settings.MEDIA_ROOT = str(tmp_path)
    collection = Collection.get_first_root_node().add_child(name="Behind a password")
    shared = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="letmein",
    )
    document = get_document_model().objects.create(
        title="Minutes", collection=collection, file=ContentFile(b"board minutes", name="min.txt")
    )
    response = client.post(
        f"/documents/authenticate_with_password/{shared.pk}/",
        {"password": "letmein", "return_url": document.url},
    )
    assert response.status_code == 404
    assert b"board minutes" not in body(client, document.url)


def test_the_privacy_forms_offer_no_shared_password(client, superuser, private_page):
    client.force_login(superuser)
    form = client.get(f"/admin/pages/{private_page.pk}/privacy/").content.decode()
    assert "shared password" not in form.lower()
    assert "logged-in users" in form
