"""Building blocks for review and trust tests."""

import json
import re

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def reference(title, url="https://example.org/source", **extra):
    value = {
        "authors": extra.pop("authors", "Okafor D, Reyes T"),
        "title": title,
        "publisher": extra.pop("publisher", "Journal of Everyday Medicine"),
        "year": extra.pop("year", 2024),
        "url": url,
        "accessed": extra.pop("accessed", "2026-10-01"),
    }
    value.update(extra)
    return {"type": "reference", "value": value}


def json_ld(html):
    scripts = JSON_LD.findall(html)
    assert len(scripts) == 1, f"expected one JSON-LD block, found {len(scripts)}"
    return json.loads(scripts[0])
