"""Turning whatever a reader typed into plain text: the one place readers' free text (comments,
questions) is cleaned.

HTML is removed by nh3 (an HTML5 parser, not regular expressions): tags go, their text stays,
and the contents of script-like elements go entirely. Entities are decoded, so the stored text is
plain text that templates escape on output. The result is a fixed point: cleaning it again changes
nothing, so an entity-encoded tag (`&lt;script&gt;`) cannot survive as a tag after one decode.
URLs stay plain text: no links are made, so no rel handling is needed and nothing is clickable.
"""

import html
import re
import unicodedata

import nh3

# Elements whose contents are code or hidden markup rather than prose.
DROP_CONTENT_OF = {"script", "style", "template", "iframe", "object", "noscript", "noembed"}
# Bidirectional embedding/override/isolate controls (Trojan-Source style text reordering).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Every control character except newline and tab, plus lone surrogates and the BOM.
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\ufeff\ud800-\udfff]")
# What the HTML parser would read as the start of a tag, comment or declaration.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
MAX_PASSES = 50


def _strip_controls(text):
    return _STRIP.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _one_pass(text):
    text = _strip_controls(text)
    text = nh3.clean(
        text,
        tags=set(),
        clean_content_tags=DROP_CONTENT_OF,
        attributes={},
        strip_comments=True,
        link_rel=None,
    )
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _strip_controls(text)
    # "</" at the very end of input is kept as text by HTML parsers; a space makes it inert.
    text = _TAG_START.sub("< ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_text(value):
    """Plain text from untrusted input. Never raises; idempotent; keeps line breaks.

    Each pass can only shorten the text (a tag or an entity goes), so the loop ends; the cap is a
    guard, and past it the characters that could still form markup are dropped.
    """
    text = "" if value is None else str(value)
    for _ in range(MAX_PASSES):
        cleaned = _one_pass(text)
        if cleaned == text:
            return cleaned
        text = cleaned
    return _one_pass(text.replace("<", "").replace("&", ""))


def clean_line(value):
    """Cleaned text on one line (names): line breaks and runs of spaces become one space."""
    return " ".join(clean_text(value).split())


URL_PATTERN = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")


def find_urls(text):
    return URL_PATTERN.findall(text)


# What an article's rich text may hold (articles.blocks.TEXT_FEATURES: bold, italic, link, lists)
# in Wagtail's stored form, for HTML that comes from another system (a WordPress import).
RICH_TEXT_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "br"}
RICH_TEXT_RENAMED = {"strong": "b", "em": "i"}
_RENAMED_TAG = re.compile(r"<(/?)(strong|em)\b", re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*(?:<br>\s*)*</p>")


def clean_rich_text(html):
    """Another system's HTML as article rich text: only the elements the editor could have
    written, links only to http(s) and mailto, script-like contents dropped; "" when no text is
    left. `<strong>`/`<em>` become Wagtail's `<b>`/`<i>`."""
    renamed = _RENAMED_TAG.sub(
        lambda m: f"<{m.group(1)}{RICH_TEXT_RENAMED[m.group(2).lower()]}", html or ""
    )
    cleaned = nh3.clean(
        _strip_controls(renamed),
        tags=RICH_TEXT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags=DROP_CONTENT_OF,
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned).strip()
    return cleaned if clean_text(cleaned).strip() else ""
