"""The article page with comments, replies, pagination, a reply form and form errors stays valid
HTML (the Nu HTML Checker, as in tests/core/test_templates.py)."""

import pytest

from tests.comments.conftest import form_data
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.django_db


def test_comment_states_are_valid_html(client, article, approved, tmp_path, settings):
    top = approved("First <b>line</b>\nsecond line\n\nnew paragraph & more", name="Ana <i>")
    approved("A reply", parent=top, name="Ben")
    for n in range(51):
        approved(f"Filler {n}")
    pages = {
        "with-comments": client.get(article.url),
        "page-2-newest": client.get(f"{article.url}?cpage=2&corder=newest"),
        "reply-form": client.get(f"{article.url}?reply={top.pk}"),
        "received": client.get(f"{article.url}?comment=received"),
        "form-errors": client.post(
            "/comments/post/", form_data(article, name="", email="bad", comment="x")
        ),
    }
    settings.COMMENTS_RATE_LIMITS = [(1, 60)]
    client.post("/comments/post/", form_data(article))
    pages["rate-limited"] = client.post("/comments/post/", form_data(article))
    assert pages["rate-limited"].status_code == 429
    assert_valid_html(pages, tmp_path)
