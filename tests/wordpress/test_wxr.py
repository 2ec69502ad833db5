"""Reading WordPress exports: every version and namespace spelling, and refusing what is not one
(docs/migrating.md). No database: the reader writes nothing."""

from pathlib import Path

import pytest

from healthpress.wordpress import wxr

pytestmark = pytest.mark.own_stack
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress"
CLINIC = FIXTURES / "clinic.xml"


def records(path):
    return list(wxr.read(path))


def test_a_wordpress_6_export_is_read_record_by_record():
    summary = wxr.validate(CLINIC)
    assert summary.site.key == "https://clinic.example.org"
    assert (summary.authors, summary.terms, summary.comments) == (2, 4, 6)
    assert summary.items == {"post": 4, "attachment": 3, "page": 1, "nav_menu_item": 1}
    post = next(r for r in records(CLINIC) if isinstance(r, wxr.Item) and r.wp_id == 101)
    assert post.title == "Why do my calves cramp at night?"
    assert post.categories == [("sports-injuries", "Sports injuries")]
    assert post.tags == [("cramp", "cramp")]
    assert post.meta["_thumbnail_id"] == "201"
    assert post.date.isoformat() == "2019-04-02T09:15:00+00:00"
    assert "<!-- wp:heading -->" in post.content  # kept as written for the mapping to read
    assert [c.parent for c in post.comments] == [0, 11, 12, 0, 0, 0]
    assert post.line == 28  # the line its <item> starts on, for the report


@pytest.mark.parametrize(
    "namespace",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_every_wxr_version_and_the_https_spelling_are_read(tmp_path, namespace):
    text = CLINIC.read_text().replace("http://wordpress.org/export/1.2/", namespace)
    path = tmp_path / "export.xml"
    path.write_text(text)
    summary = wxr.validate(path)
    assert summary.posts == 8
    assert summary.comments == 6


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_billion_laughs_file_is_refused_before_any_expansion(tmp_path):
    laughs = "\n".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    path = write(
        tmp_path,
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n'
        + laughs
        + '\n]>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol9;</title>'
        "</channel></rss>\n",
    )
    with pytest.raises(wxr.InvalidExport, match=r"line 2: refused: the file declares a DTD"):
        wxr.validate(path)


def test_an_external_entity_is_refused(tmp_path):
    path = write(
        tmp_path,
        '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/x.dtd">\n<rss/>\n',
    )
    with pytest.raises(wxr.InvalidExport, match="refused"):
        wxr.validate(path)


def test_a_truncated_export_fails_naming_the_line(tmp_path):
    lines = CLINIC.read_text().splitlines(keepends=True)
    path = write(tmp_path, "".join(lines[:140]))
    with pytest.raises(wxr.InvalidExport, match=r"^line 14\d: not well-formed XML"):
        wxr.validate(path)


def test_a_stray_ampersand_fails_naming_its_line(tmp_path):
    text = CLINIC.read_text().replace(
        "<title>Is eczema contagious?</title>", "<title>A & B</title>"
    )
    with pytest.raises(wxr.InvalidExport, match=r"^line 146: not well-formed XML"):
        wxr.validate(write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty|not well-formed"),
        ("<html><body>Hi</body></html>\n", "line 1: the document is <html>"),
        (
            '<rss version="2.0"><channel><title>Blog</title></channel></rss>\n',
            "no WordPress export namespace",
        ),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://x.example</link>'
            "</channel></rss>\n",
            "no <wp:wxr_version>",
        ),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>'
            "<item><wp:post_id>seven</wp:post_id></item></channel></rss>\n",
            "not a number",
        ),
        (b"<rss>\xff\xfe</rss>\n", "not valid UTF-8|not well-formed"),
    ],
    ids=["empty", "html", "plain-rss", "no-version", "bad-id", "bad-bytes"],
)
def test_what_is_not_a_wordpress_export_gets_a_clear_error(tmp_path, text, message):
    with pytest.raises(wxr.InvalidExport, match=message):
        wxr.validate(write(tmp_path, text))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(wxr.InvalidExport, match="cannot read the file"):
        wxr.validate(tmp_path / "nowhere.xml")


def test_records_are_built_one_at_a_time(tmp_path):
    """Each item is dropped once handed on: the reader keeps no tree of the document."""
    reader = wxr._Reader(CLINIC)
    seen = 0
    for _kind, _line, _element in reader:
        seen += 1
        assert reader.target.builder is None or seen
        assert len(reader.target.records) == 0
    assert seen == 15
