"""Article body blocks as partners receive them: each block's type, its fields, and the whole
block as plain text and as sanitised HTML.

Serialisers are chosen by block *class*, walking the block's own definition, so:

- a new block type made of the classes below (a StructBlock of CharBlocks, RichTextBlocks,
  ListBlocks, ...) is served with no change here;
- a new kind of leaf block (an image, a table, a video: the rich-articles issue) registers one
  function with `@serialises(BlockClass)` returning a `Part`;
- until it does, Wagtail's own `get_api_representation()` gives its fields, with no text or HTML.

Rich text is expanded from Wagtail's stored form (page links become addresses, made absolute on
the site's root URL) and cleaned by nh3 to an allow-list of structural tags: no classes, ids,
styles or scripts, so a partner can put it in any page.
"""

import re
from dataclasses import dataclass
from html import escape, unescape

import nh3
from wagtail import blocks
from wagtail.rich_text import expand_db_html

from healthpress.articles.blocks import DataTableBlock, FigureBlock, VideoBlock, video_link

ALLOWED_TAGS = {
    *("p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "h2", "h3", "h4"),
    *("blockquote", "sup", "sub", "abbr", "cite", "code", "figure", "figcaption", "img"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "details", "summary"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Where the text of one block-level element ends: a line break in the plain text.
_BLOCK_END = re.compile(r"(</(?:p|h\d|li|blockquote|tr|caption|figcaption)>|<br\s*/?>)", re.I)


@dataclass
class Part:
    data: object  # the JSON value for the block's fields
    text: str = ""  # plain text
    html: str = ""  # sanitised HTML fragment


def sanitise(html, root_url):
    """Editor HTML as partners may embed it: allowed tags only, links absolute on our site."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative=("rewrite_with_base", root_url + "/"),
        link_rel=None,
        strip_comments=True,
    )


def plain_text(html):
    """The text of sanitised HTML, one line per paragraph or list item. (Readers' input goes
    through core/cleaning.py; this is our editors' HTML, already cleaned by `sanitise`.)"""
    text = unescape(nh3.clean(_BLOCK_END.sub(r"\1\n", html), tags=set(), link_rel=None))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@dataclass
class Context:
    """What serialisers need besides the value: the site's root URL for absolute links."""

    root_url: str


_serialisers = {}


def serialises(block_class):
    """Register `function(block, value, context) -> Part` for `block_class` and its subclasses."""

    def register(function):
        _serialisers[block_class] = function
        return function

    return register


def serialise(block, value, context):
    for cls in type(block).__mro__:
        if cls in _serialisers:
            return _serialisers[cls](block, value, context)
    # Not known here yet: Wagtail's own API representation, documented as JSON-ready.
    return Part(block.get_api_representation(value))


@serialises(blocks.RichTextBlock)
def rich_text(block, value, context):
    html = sanitise(expand_db_html(value.source), context.root_url) if value else ""
    text = plain_text(html)
    return Part({"text": text, "html": html}, text, html)


# One-value blocks whose value reads as text. Others (choosers: an image, a page) fall back to
# their API representation until they register a serialiser of their own.
TEXT_LIKE = (
    *(blocks.CharBlock, blocks.TextBlock, blocks.EmailBlock, blocks.URLBlock),
    *(blocks.IntegerBlock, blocks.FloatBlock, blocks.DecimalBlock),
    *(blocks.DateBlock, blocks.TimeBlock, blocks.DateTimeBlock),
)


def field(block, value, context):
    """A text-like one-value block: its value as text, and as a paragraph."""
    data = block.get_api_representation(value)
    if value in (None, ""):
        return Part(data)
    text = str(data)
    return Part(data, text, "<p>" + escape(text).replace("\n", "<br>") + "</p>")


for _block_class in TEXT_LIKE:
    serialises(_block_class)(field)


@serialises(blocks.ChoiceBlock)
def choice(block, value, context):
    """A setting of the block (an urgency level): data for the partner, not text to show."""
    return Part(value or None)


@serialises(blocks.ListBlock)
def list_items(block, value, context):
    parts = [serialise(block.child_block, item, context) for item in value]
    items = "".join(f"<li>{_inline(part.html)}</li>" for part in parts if part.text)
    return Part(
        [part.data for part in parts],
        "\n".join(part.text for part in parts if part.text),
        f"<ol>{items}</ol>" if items else "",
    )


@serialises(blocks.StructBlock)
def struct(block, value, context):
    data, texts, htmls = {}, [], []
    for name, child in block.child_blocks.items():
        part = serialise(child, value.get(name), context)
        data[name] = part.data
        if part.text:
            texts.append(part.text)
            # A block's heading is its title in the HTML as on the page.
            htmls.append(f"<h2>{_inline(part.html)}</h2>" if name == "heading" else part.html)
    return Part(data, "\n".join(texts), "".join(htmls))


def _inline(html):
    """The content of a one-paragraph fragment, for a heading or a list item."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def body_blocks(page, context):
    """Every block of the article's body, in order, with the section numbers the page shows."""
    result = []
    number = 0
    for bound in page.body:
        part = serialise(bound.block, bound.value, context)
        if bound.block_type == "section":
            number += 1
        fields = part.data if isinstance(bound.block, blocks.StructBlock) else {"value": part.data}
        result.append(
            {
                "type": bound.block_type,
                "id": bound.id,
                "label": str(bound.block.label),
                "number": number if bound.block_type == "section" else None,
                "fields": fields,
                "text": part.text,
                "html": part.html,
            }
        )
    return result


# --- Figures, tables and videos (issue 26) ---
# Pictures go out as JPEG (PNG for line art) at absolute addresses on our site, with their size
# and alt text: partners' apps and mail-like readers do not all take AVIF or WebP.


def _picture(image, spec, root_url, alt):
    # Relative (local storage) on the Site's root URL; an object store's address is absolute.
    rendition = image.get_rendition(spec)
    url = rendition.url
    if not url.startswith(("http://", "https://")):
        url = root_url + url
    return {"url": url, "width": rendition.width, "height": rendition.height, "alt": alt}


def _img(picture):
    return (
        f'<img src="{escape(picture["url"])}" alt="{escape(picture["alt"])}" '
        f'width="{picture["width"]}" height="{picture["height"]}">'
    )


def figure(block, value, context):
    image = value["image"]
    if not image:
        return Part(None)
    spec = "format-png|width-1200" if value["line_art"] else "format-jpeg|width-1200"
    picture = _picture(image, spec, context.root_url, image.contextual_alt_text or "")
    credit = ". ".join(part for part in (value["credit"], value["licence"]) if part)
    data = {
        "image": picture,
        "decorative": bool(image.decorative),
        "caption": value["caption"],
        "credit": value["credit"],
        "licence": value["licence"],
        "licence_url": value["licence_url"] or "",
    }
    caption = " ".join(escape(part) for part in (value["caption"], credit) if part)
    html = f"<figure>{_img(picture)}"
    html += f"<figcaption>{caption}</figcaption></figure>" if caption else "</figure>"
    text = "\n".join(part for part in (value["caption"], credit) if part)
    return Part(data, text, html)


def table(block, value, context):
    typed = value["table"]
    columns = [{"heading": c["heading"], "type": c["block"].name} for c in typed.columns]
    rows = [[str(cell) for cell in row["values"]] for row in typed.row_data]
    header_column = bool(value["first_column_is_heading"])
    head = "".join(f'<th scope="col">{escape(c["heading"])}</th>' for c in columns)
    body = ""
    for row in rows:
        cells = "".join(
            f'<th scope="row">{escape(cell)}</th>'
            if n == 0 and header_column
            else f"<td>{escape(cell)}</td>"
            for n, cell in enumerate(row)
        )
        body += f"<tr>{cells}</tr>"
    html = (
        f"<table><caption>{escape(typed.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
    if value["source"]:
        html += f"<p>Source: {escape(value['source'])}</p>"
    text_rows = [" | ".join(c["heading"] for c in columns), *(" | ".join(r) for r in rows)]
    text = "\n".join([typed.caption, *text_rows, *([value["source"]] if value["source"] else [])])
    data = {
        "caption": typed.caption,
        "columns": columns,
        "rows": rows,
        "first_column_is_heading": header_column,
        "source": value["source"],
        "source_url": value["source_url"] or "",
    }
    return Part(data, text, html)


def video(block, value, context):
    link = video_link(value)
    transcript = rich_text(block.child_blocks["transcript"], value["transcript"], context)
    poster = None
    if value["poster"]:
        poster = _picture(value["poster"], "fill-1280x720|format-jpeg", context.root_url, "")
    data = {
        "title": value["title"],
        "provider": value["provider"],
        "watch_url": link.watch_url if link else (value["file"].url if value["file"] else ""),
        "player_url": link.player_url if link else "",
        "duration": value["duration"],
        "poster": poster,
        "transcript": transcript.data,
    }
    if link:
        watch = link.watch_url
    else:
        watch = context.root_url + value["file"].url if value["file"] else ""
    # A link, never an embed: the partner's page loads nothing from the video's host either.
    html = (
        f'<figure><p><a href="{escape(watch)}">Watch the video: {escape(value["title"])} '
        f"({escape(value['duration'])})</a></p><details><summary>Transcript</summary>"
        f"{transcript.html}</details></figure>"
    )
    text = "\n".join([f"{value['title']} ({value['duration']})", transcript.text])
    return Part(data, text, html)


serialises(FigureBlock)(figure)
serialises(DataTableBlock)(table)
serialises(VideoBlock)(video)
