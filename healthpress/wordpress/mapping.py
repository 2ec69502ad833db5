"""A WordPress post's HTML as a HealthPress article: the question, the short answer, the blocks.

WordPress stores a post as HTML, with Gutenberg's block comments (`<!-- wp:heading -->`) since
5.0 and shortcodes (`[caption]`, `[embed]`) in older posts. An article is a question, a short
answer and numbered sections, so the post is read as:

- the title is the question; the excerpt, or else the first paragraph, the short answer;
- what comes before the first `<h2>` (after the paragraph used as the short answer) stays as
  paragraph blocks; each `<h2>` starts a section whose text runs to the next one, and the
  headings the plain-text format knows ("Prevention", "When to see a doctor", "Seek help now")
  start those blocks instead; a paragraph opening "What you can do:" starts the section's advice;
- lists, links, bold and italic are kept, `<h3>`-`<h6>` become bold paragraphs, everything else is
  reduced to its text; tables, images and videos become blocks of their own (`Figure`, `Table`,
  `Video` below) that the importer places where the article has a block for them;
- a Gutenberg block or a shortcode we have nothing for is removed from the text and reported,
  with the post, so an editor can put it right: never dropped without a word.

A page (`map_page`, for the editorial policy) is read the same way into one rich-text body
whose `<h2>`s stay headings.

Rich text is cleaned by core.cleaning's one rich-text function (nh3), so nothing of the
export's HTML reaches a page that the admin's editor could not have written.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from healthpress.articles.content import ArticleContent
from healthpress.articles.importer import BLOCK_HEADINGS  # the plain-text format's headings
from healthpress.core.cleaning import clean_line, clean_rich_text

MAX_SHORT_ANSWER = 1200
MAX_HEADING = 150
MAX_PAGE_INTRO = 600  # core.EditorialPolicyPage.intro
NUMBER_PREFIX = re.compile(r"^\s*(?:\d{1,2}[.):]|step \d{1,2}:?)\s+", re.IGNORECASE)
ADVICE = re.compile(r"^\s*what you can do:?\s*", re.IGNORECASE)
MINOR_HEADINGS = {"h3", "h4", "h5", "h6"}
# Gutenberg blocks whose HTML we read as it stands (their markup is what we map) or not at all.
KNOWN_BLOCKS = {
    "paragraph",
    "heading",
    "list",
    "list-item",
    "quote",
    "table",
    "image",
    "gallery",
    "embed",
    "video",
    "separator",
    "spacer",
    "group",
    "columns",
    "column",
    "freeform",
    "html",
    "more",
    "nextpage",
    "preformatted",
    "pullquote",
    "verse",
    "core-embed/youtube",
    "core-embed/vimeo",
}
SHORTCODE = re.compile(r"\[(/?)([a-zA-Z_][\w-]*)((?:\s[^\]]*)?)\]")
SHORTCODE_ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
VIDEO_URL = re.compile(
    r"https?://(?:www\.|m\.)?(?:youtube\.com/watch\?v=[\w-]+|youtu\.be/[\w-]+|vimeo\.com/\d+)\S*"
)
HTML_COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.DOTALL)  # one left open runs to the end
BLOCK_COMMENT = re.compile(r"wp:([a-z0-9/-]+)(\s+\{.*\})?\s*/?", re.DOTALL)
WP_IMAGE_CLASS = re.compile(r"wp-image-(\d+)")
ADVICE_IN_HTML = re.compile(r"^(<p>)\s*(?:<b>)?\s*what you can do:?\s*(?:</b>)?\s*", re.IGNORECASE)
CONTAINERS = {"div", "section", "article", "blockquote", "main"}


@dataclass
class Figure:
    attachment_id: int  # 0 when only the URL is known
    src: str
    alt: str
    caption: str = ""


@dataclass
class Table:
    caption: str
    header: list  # the header row's cells, or []
    rows: list  # lists of cell texts


@dataclass
class Video:
    url: str
    caption: str = ""


@dataclass
class MappedPost:
    """The article's content; its body may hold Figure, Table and Video objects as blocks of type
    "media", which the importer turns into the article's own blocks (or reports)."""

    content: ArticleContent
    warnings: list = field(default_factory=list)

    def media(self):
        return [block["value"] for block in self.content.body if block["type"] == "media"]


def map_post(item):
    """The MappedPost for a WXR item of type post (wxr.Item)."""
    warnings = []
    reader = _read_body(item, warnings)
    short_answer = _excerpt(item) or reader.take_first_paragraph()
    short_answer = _fit(
        short_answer, MAX_SHORT_ANSWER, warnings, "the short answer was cut to 1,200 characters"
    )
    content = ArticleContent(
        question=clean_line(item.title)[:255] or f"Untitled post {item.wp_id}",
        short_answer=short_answer,
        body=_assemble(reader.events, warnings),
        last_updated=item.modified.date() if item.modified else None,
        tags=[clean_line(name or slug)[:100] for slug, name in item.tags],
        seo_title=clean_line(item.meta.get("_yoast_wpseo_title", ""))[:255],
        search_description=clean_line(item.meta.get("_yoast_wpseo_metadesc", "")),
    )
    return MappedPost(content=content, warnings=warnings)


@dataclass
class MappedPage:
    """An information page's fields (core.EditorialPolicyPage's: title, intro, rich-text body)."""

    title: str
    intro: str
    body: str
    warnings: list = field(default_factory=list)


def map_page(item):
    """The MappedPage for a WXR item of type page: read like a post's body (shortcodes,
    Gutenberg blocks, the same cleaning), its `<h2>`s kept as headings since an information
    page's body has them; pictures, tables and videos, which it has no block for, reported."""
    warnings = []
    reader = _read_body(item, warnings)
    parts = []
    for event in reader.events:
        if event[0] == "h":
            if event[1]:
                parts.append(f"<h2>{_escape(event[1])}</h2>")
        elif event[0] == "p":
            parts.append(event[1])
        else:
            kind = type(event[1]).__name__.lower()
            warnings.append(f"a {kind} was left out: an information page has no {kind} block")
    intro = _fit(
        _excerpt(item),
        MAX_PAGE_INTRO,
        warnings,
        "the excerpt was cut to 600 characters for the page's introduction",
    )
    return MappedPage(
        title=clean_line(item.title)[:255] or f"Untitled page {item.wp_id}",
        intro=intro,
        body="".join(parts),
        warnings=warnings,
    )


def _excerpt(item):
    """The item's excerpt as one line of plain text ("" without one)."""
    return clean_line(_text(BeautifulSoup(item.excerpt, "html.parser"))) if item.excerpt else ""


def _fit(text, limit, warnings, message):
    """`text`, or when longer than `limit`, cut at a word with an ellipsis and `message` warned."""
    if len(text) <= limit:
        return text
    warnings.append(message)
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _read_body(item, warnings):
    html = _read_block_comments(_expand_shortcodes(item.content, warnings), warnings)
    soup = BeautifulSoup(_paragraphs(html), "html.parser")
    reader = _Reader(warnings)
    for node in list(soup.children):
        reader.add(node)
    return reader


def _paragraphs(html):
    """WordPress's classic editor stores paragraphs as blank lines (wpautop adds the <p>s when it
    renders): text outside any block element becomes a paragraph here the same way."""
    if re.search(r"<p[\s>]", html, re.IGNORECASE):
        return html
    parts = [part.strip() for part in re.split(r"\n\s*\n", html) if part.strip()]
    return "".join(part if part.startswith("<") else f"<p>{part}</p>" for part in parts)


def _expand_shortcodes(html, warnings):
    """Shortcodes we have a block for become markup the body builder reads; others are removed
    and reported."""

    def replace(match):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            return ""
        values = {
            m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
            for m in SHORTCODE_ATTR.finditer(attrs)
        }
        if name in ("caption", "wp_caption"):
            return ""  # its <img> and text stay; the image becomes a figure
        if name in ("embed", "video", "youtube", "vimeo"):
            url = values.get("src") or values.get("url") or values.get("mp4") or ""
            return f'<p data-video="{_attr(url)}"></p>' if url else ""
        if name == "gallery" and values.get("ids"):
            ids = [i for i in re.split(r"\s*,\s*", values["ids"]) if i.isdigit()]
            return "".join(f'<p><img class="wp-image-{i}" src="" alt=""></p>' for i in ids)
        warnings.append(f"shortcode [{name}] has no HealthPress equivalent: removed")
        return ""

    return SHORTCODE.sub(replace, html)


def _attr(value):
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _read_block_comments(html, warnings):
    """Gutenberg's block comments: read for the block's name (the markup between them carries
    everything else, an embed's URL included), reported where we know no such block, and removed
    with every other comment before the HTML is parsed (a post has dozens: as parsed nodes they
    were a fifth of the mapping's time)."""

    def read(match):
        block = BLOCK_COMMENT.fullmatch(match.group(1).strip())
        if block:
            name = block.group(1).removeprefix("core/")
            if name not in KNOWN_BLOCKS:
                warnings.append(
                    f"Gutenberg block wp:{name} has no HealthPress equivalent: "
                    "its text was kept, its layout not"
                )
        return ""

    return HTML_COMMENT.sub(read, html)


def _text(node):
    return " ".join(node.get_text(" ").split())


class _Reader:
    """Walks the post's top-level elements into a flat list of events: ("p", rich, text),
    ("h", heading) and ("media", Figure | Table | Video)."""

    def __init__(self, warnings):
        self.warnings = warnings
        self.events = []

    def add(self, node):
        if isinstance(node, NavigableString):
            text = " ".join(str(node).split())
            if text:
                self._paragraph(f"<p>{_escape(text)}</p>", text)
            return
        if not isinstance(node, Tag):
            return
        name = node.name.lower()
        text = _text(node)
        if name == "p" and node.get("data-video") is not None:
            self._media(Video(url=node["data-video"].strip()))
        elif name in ("h1", "h2"):
            self.events.append(("h", NUMBER_PREFIX.sub("", text).strip()[:MAX_HEADING]))
        elif name in ("figure", "table"):
            self._figure_or_table(node)
        elif name in CONTAINERS and node.find(["p", "h2", "figure", "table", "ul", "ol"]):
            for child in list(node.children):
                self.add(child)
        elif name == "p" and node.find("img") is not None and not text:
            for img in node.find_all("img"):
                self._image(img, "")
        elif name in MINOR_HEADINGS:
            if text:
                self._paragraph(f"<p><b>{_escape(text)}</b></p>", text)
        elif name == "p" and VIDEO_URL.fullmatch(text or "-"):
            self._media(Video(url=text))
        elif name in ("ul", "ol", "p"):
            rich = clean_rich_text(str(node))
            if rich:
                self._paragraph(rich, text)
        elif name == "iframe":
            src = node.get("src", "")
            if "youtube" in src or "vimeo" in src:
                self._media(Video(url=src))
            else:
                self.warnings.append(f"an embedded frame from {src or 'nowhere'} was removed")
        elif name not in ("hr", "br", "script", "style") and text:
            self._paragraph(f"<p>{_escape(text)}</p>", text)

    def _paragraph(self, rich, text):
        self.events.append(("p", rich, text))

    def _media(self, item):
        self.events.append(("media", item))

    def _image(self, img, caption):
        match = WP_IMAGE_CLASS.search(" ".join(img.get("class", [])))
        self._media(
            Figure(
                attachment_id=int(match.group(1)) if match else 0,
                src=img.get("src", ""),
                alt=clean_line(img.get("alt", "")),
                caption=clean_line(caption),
            )
        )

    def _figure_or_table(self, node):
        caption_node = node.find("figcaption") or node.find("caption")
        caption = _text(caption_node) if caption_node else ""
        table = node if node.name == "table" else node.find("table")
        if table is not None:
            return self._table(table, caption)
        video = VIDEO_URL.search(_text(node))
        if video:
            return self._media(Video(url=video.group(0), caption=clean_line(caption)))
        for img in node.find_all("img"):
            self._image(img, caption)

    def _table(self, table, caption):
        header, rows = [], []
        for row in table.find_all("tr"):
            cells = [clean_line(_text(cell)) for cell in row.find_all(["td", "th"])]
            if not header and not rows and row.find("th") and not row.find("td"):
                header = cells
            elif cells:
                rows.append(cells)
        if rows or header:
            self._media(Table(caption=clean_line(caption), header=header, rows=rows))

    def take_first_paragraph(self):
        """Removes and returns the first plain paragraph before any heading (the short answer)."""
        for i, event in enumerate(self.events):
            if event[0] == "h":
                break
            if event[0] == "p" and not event[1].startswith(("<ul", "<ol")):
                del self.events[i]
                return clean_line(event[2])
        return ""


def _assemble(events, warnings):
    """Events as StreamField raw data: paragraphs before the first heading as paragraph blocks,
    each heading's text as one section (or prevention/see-doctor/urgent block); media met inside a
    section go right after it, so a section is never split."""
    blocks, section, held = [], None, []

    def close():
        nonlocal section
        if section is not None:
            blocks.append(_section_block(section, warnings))
            section = None
        blocks.extend(b for b in held)
        held.clear()

    for event in events:
        if event[0] == "h":
            close()
            kind = BLOCK_HEADINGS.get(event[1].lower().rstrip(":"), "section")
            section = {"type": kind, "heading": event[1] or "More", "parts": [], "advice": []}
        elif event[0] == "media":
            (held if section is not None else blocks).append({"type": "media", "value": event[1]})
        elif section is None:
            blocks.append({"type": "paragraph", "value": event[1]})
        elif section["type"] == "section" and (section["advice"] or ADVICE.match(event[2])):
            rich = ADVICE_IN_HTML.sub(r"\1", event[1], count=1)
            if _has_text(rich):
                section["advice"].append(rich)
        else:
            section["parts"].append(event[1])
    close()
    return [b for b in blocks if b is not None]


def _section_block(section, warnings):
    parts, advice = section["parts"], section["advice"]
    if not parts and not advice:
        warnings.append(f"the heading “{section['heading']}” had no text under it: left out")
        return None
    if section["type"] != "section":
        return {
            "type": section["type"],
            "value": {"heading": section["heading"], "text": "".join(parts + advice)},
        }
    if not parts:
        parts, advice = advice, []
    return {
        "type": "section",
        "value": {
            "heading": section["heading"],
            "explanation": "".join(parts),
            "advice": "".join(advice),
        },
    }


def _has_text(rich):
    return bool(_text(BeautifulSoup(rich, "html.parser")))


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
