"""In-text citation markers: an editor types [1] in the text; readers get a link to reference 1
and, from the reference, a link back to where it was first cited.

Markers are found only in text, never inside a tag or its attributes, and never inside an
existing link (a link inside a link is invalid HTML). A number with no matching reference stays
plain text, so a typo never produces a broken link.
"""

import re

from django.utils.safestring import mark_safe

MARKER = re.compile(r"\[(\d{1,3})\]")
TAG = re.compile(r"(<[^>]*>)")
OPEN_LINK = re.compile(r"<a[\s>]", re.I)
CLOSE_LINK = re.compile(r"</a\s*>", re.I)


def _text_outside_links(html):
    """Yield (is_text, chunk) for every chunk of `html`; text inside <a> counts as markup."""
    in_link = 0
    for chunk in TAG.split(html):
        if chunk.startswith("<"):
            if OPEN_LINK.match(chunk):
                in_link += 1
            elif CLOSE_LINK.match(chunk):
                in_link = max(0, in_link - 1)
            yield False, chunk
        else:
            yield in_link == 0, chunk


def cited_numbers(html_strings, reference_count):
    """The reference numbers (1-based) cited anywhere in these HTML strings."""
    found = set()
    for html in html_strings:
        for is_text, chunk in _text_outside_links(html):
            if is_text:
                for match in MARKER.finditer(chunk):
                    number = int(match.group(1))
                    if 1 <= number <= reference_count:
                        found.add(number)
    return found


def link_citations(html, reference_count):
    """Rendered (escaped) HTML with each valid [n] turned into a link to reference n.

    The first citation of each reference gets the id the reference's back link points to.
    """
    seen = set()

    def replace(match):
        number = int(match.group(1))
        if not 1 <= number <= reference_count:
            return match.group(0)
        anchor = "" if number in seen else f' id="cite-{number}"'
        seen.add(number)
        return (
            f'<sup class="cite"><a href="#ref-{number}"{anchor} '
            f'aria-label="Reference {number}">[{number}]</a></sup>'
        )

    out = []
    for is_text, chunk in _text_outside_links(str(html)):
        out.append(MARKER.sub(replace, chunk) if is_text else chunk)
    return mark_safe("".join(out))
