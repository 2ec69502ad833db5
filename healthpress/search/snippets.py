"""The snippet under each search result: a piece of the short answer with the reader's words marked.

Text is escaped piece by piece and only our own <mark> is added, so an article or a query can
never inject markup.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 240


def _stem(term):
    # A rough English stem, only to mark "cramping" for "cramps": matching itself is the index's.
    for suffix in ("ing", "es", "ed", "s"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def term_pattern(terms):
    stems = sorted({re.escape(_stem(t)) for t in terms if t}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE)


def snippet(text, terms, length=SNIPPET_CHARS):
    """About `length` characters of `text` around its first matching word, matches in <mark>."""
    text = " ".join((text or "").split())
    pattern = term_pattern(terms)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 4) + 1
    piece = text[start : start + length]
    if start + length < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    if start > 0:
        piece = "… " + piece
    return highlight(piece, pattern)


def highlight(text, pattern):
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
