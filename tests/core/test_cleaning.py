"""The one cleaning function: HTML gone (text kept), entities decoded, hostile characters out."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthpress.core.cleaning import clean_line, clean_text

TAG_START = re.compile(r"<[A-Za-z/!]")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>hi</b>", "hi"),
        ("<script>alert(1)</script>after", "after"),
        ("<style>p{color:red}</style>text", "text"),
        ("Fish &amp; chips", "Fish & chips"),
        ("a &lt; b", "a < b"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "< script>alert(1)< /script>"),
        ("Caf\u0065\u0301", "Caf\u00e9"),  # NFC
        ("abc\u202eevil\u202c", "abcevil"),  # bidi override removed
        ("null\x00byte", "nullbyte"),
        ("bell\x07 and \x1b[31mescape", "bell and [31mescape"),
        ("one\r\n\r\n\r\n\r\ntwo", "one\n\ntwo"),
        ("  \n spaced out \n\n", "spaced out"),
        ("line one\nline two", "line one\nline two"),
        ("see https://example.org/a?b=1&c=2", "see https://example.org/a?b=1&c=2"),
        ("مرحبا بالعالم", "مرحبا بالعالم"),
        ("cramps 😖 again", "cramps 😖 again"),
        ("<!-- hidden -->shown", "shown"),
        ("<![CDATA[x]]>y", "y"),
        ("</", "< /"),
    ],
)
def test_cleaning_examples(raw, expected):
    assert clean_text(raw) == expected


def test_urls_stay_plain_text_never_links():
    assert clean_text('<a href="https://spam.example">buy</a> https://x.example') == (
        "buy https://x.example"
    )


def test_names_are_one_line():
    assert clean_line("  Ana\n\n<b>Reader</b>  ") == "Ana Reader"


def test_none_and_non_strings_do_not_raise():
    assert clean_text(None) == ""
    assert clean_text(12) == "12"


def test_deeply_nested_entities_terminate():
    raw = "&amp;" * 2000 + "lt;script&gt;" + "<b>" * 3000
    out = clean_text(raw)
    assert not TAG_START.search(out)
    assert clean_text(out) == out


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_cleaning_is_idempotent_and_leaves_no_tag_start(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert not TAG_START.search(once)


markupish = st.lists(
    st.sampled_from(
        [
            "<",
            ">",
            "/",
            "!",
            "&",
            ";",
            "lt",
            "gt",
            "amp",
            "#60",
            "#x3c",
            "script",
            "b",
            "a",
            "img",
            " ",
            "\n",
            "=",
            '"',
            "'",
            "-",
            "[CDATA[",
            "]]",
            "svg",
            "on",
            "\x00",
            "\u202e",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=800, deadline=None)
@given(st.one_of(markupish, st.text(alphabet=st.characters(codec="utf-8"))))
def test_cleaning_markup_soup_never_raises_and_is_stable(text):
    once = clean_text(text)
    assert isinstance(once, str)
    assert not TAG_START.search(once)
    assert clean_text(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], min_codepoint=0)))
def test_surrogate_free_or_not_it_never_raises(text):
    clean_text(text + "\ud800")
