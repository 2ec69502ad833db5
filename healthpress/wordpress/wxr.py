"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) safely, in constant memory.

WordPress writes one RSS document: a `channel` with the site's URLs, then its authors,
categories and tags, then one `item` per post, page and attachment, each with its comments.
Exports of large sites run to gigabytes, so the file is fed to the parser a line at a time and
each record (an author, a term, an item) is built alone, handed on and dropped; nothing else of
the document is kept.

The parser is defusedxml's: a DTD is refused outright (WordPress never writes one, and entity
expansion, "billion laughs", and external entities live there), so is any entity declaration
or external reference. Feeding line by line also tells us the line each record starts on, so an
error names it.

`validate(path)` reads the whole file first and raises InvalidExport on anything malformed or
not WXR, before the importer writes a thing; `read(path)` then yields the records. Namespaces
are matched by what they are, not their spelling: WXR 1.0-1.2, under `http://` or `https://`.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from xml.etree.ElementTree import ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

WXR_NAMESPACE = re.compile(r"https?://wordpress\.org/export/1\.[0-2]/")
NAMESPACES = [  # (pattern, prefix): the prefixes the rest of this module reads
    (re.compile(r"https?://wordpress\.org/export/1\.[0-2]/excerpt/"), "excerpt"),
    (WXR_NAMESPACE, "wp"),
    (re.compile(r"https?://purl\.org/rss/1\.0/modules/content/"), "content"),
    (re.compile(r"https?://purl\.org/dc/elements/1\.1/"), "dc"),
]
RECORDS = {"wp:author": "author", "wp:category": "category", "wp:tag": "tag", "item": "item"}
SITE_FIELDS = {"title", "link", "wp:base_site_url", "wp:base_blog_url", "wp:wxr_version"}
POST_TYPES_READ = {"post", "page", "attachment"}  # others (menus, blocks...) are counted only


class InvalidExport(ValueError):
    """The file is not a WordPress export we can read; the message names the line."""

    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def key(self):
        """What identifies the exporting site across runs (the import's records are keyed by it)."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/").lower()


@dataclass
class Author:
    line: int
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.login


@dataclass
class Term:
    line: int
    kind: str  # "category" or "tag"
    slug: str
    name: str
    parent: str = ""  # a category's parent's slug


@dataclass
class Comment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    date: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    kind: str  # "" or "comment" for a comment; "pingback", "trackback"
    parent: int  # 0: top level


@dataclass
class Item:
    line: int
    wp_id: int
    post_type: str
    status: str
    title: str
    link: str = ""
    slug: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: datetime | None = None
    modified: datetime | None = None
    parent: int = 0
    attachment_url: str = ""
    categories: list = field(default_factory=list)  # [(slug, name)]
    tags: list = field(default_factory=list)  # [(slug, name)]
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    def digest(self):
        """What the post says, as a hash: a second run updates the article only when it differs."""
        said = [self.title, self.status, self.content, self.excerpt, self.slug, self.creator]
        said += [str(self.date), str(self.modified), repr(self.categories), repr(self.tags)]
        said += [f"{k}={v}" for k, v in sorted(self.meta.items())]
        return hashlib.sha256("\x1f".join(said).encode()).hexdigest()


@lru_cache(maxsize=512)  # a few dozen distinct tags, met millions of times in a large export
def _prefixed(tag):
    """`{namespace}local` as `prefix:local` for the namespaces WXR uses; others unchanged."""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        for pattern, prefix in NAMESPACES:
            if pattern.fullmatch(uri):
                return f"{prefix}:{local}"
    return tag


class _Target:
    """The parser's target: builds one record at a time and tracks where it is in the file."""

    def __init__(self, reader):
        self.reader = reader
        self.path = []
        self.builder = None
        self.record_line = 0
        self.site = Site()
        self.site_text = []
        self.wxr_namespace = False
        self.records = []  # (kind, line, element): handed on after each fed line

    def start_ns(self, prefix, uri):
        if WXR_NAMESPACE.fullmatch(uri):
            self.wxr_namespace = True

    def start(self, tag, attrib):
        tag = _prefixed(tag)
        depth = len(self.path)
        self.path.append(tag)
        if depth == 0 and tag != "rss":
            raise InvalidExport(
                f"the document is <{tag}>, not a WordPress export (<rss>)", self.reader.line
            )
        if depth == 1 and tag != "channel":
            raise InvalidExport(f"<{tag}> where the export's <channel> belongs", self.reader.line)
        if self.builder is None and depth == 2 and tag in RECORDS:
            self.builder = TreeBuilder()
            self.record_line = self.reader.line
        if self.builder is not None:
            self.builder.start(tag, attrib)
        elif depth == 2 and tag in SITE_FIELDS:
            self.site_text = []

    def data(self, text):
        if self.builder is not None:
            self.builder.data(text)
        elif len(self.path) == 3 and self.path[-1] in SITE_FIELDS:
            self.site_text.append(text)

    def end(self, tag):
        tag = self.path.pop()
        if self.builder is not None:
            element = self.builder.end(tag)
            if len(self.path) == 2:
                self.records.append((RECORDS[tag], self.record_line, element))
                self.builder = None
        elif len(self.path) == 2 and tag in SITE_FIELDS:
            name = tag.removeprefix("wp:")
            setattr(self.site, name, "".join(self.site_text).strip())

    def close(self):
        return None


class _Reader:
    """Feeds a file to defusedxml's parser a line at a time, yielding (kind, line, element)."""

    def __init__(self, path):
        self.path = path
        self.line = 0
        self.target = _Target(self)

    def __iter__(self):
        parser = DefusedXMLParser(target=self.target, forbid_dtd=True)
        try:
            with open(self.path, "rb") as file:
                for self.line, raw in enumerate(file, start=1):
                    parser.feed(raw)
                    yield from self._drain()
                parser.close()
        except ParseError as error:
            line = error.position[0] if getattr(error, "position", None) else self.line
            raise InvalidExport(f"not well-formed XML ({_reason(error)})", line) from None
        except DefusedXmlException as error:
            raise InvalidExport(f"refused: {_refusal(error)}", self.line) from None
        except UnicodeDecodeError:
            raise InvalidExport("the file is not valid UTF-8", self.line) from None
        except OSError as error:
            raise InvalidExport(f"cannot read the file: {error.strerror or error}") from None
        if self.line == 0:
            raise InvalidExport("the file is empty")
        if not self.target.wxr_namespace:
            raise InvalidExport(
                "no WordPress export namespace (wordpress.org/export/1.x/): not a WXR file"
            )
        yield from self._drain()

    def _drain(self):
        records, self.target.records = self.target.records, []
        yield from records


def _reason(error):
    return str(error).split(":", 1)[0]


def _refusal(error):
    name = type(error).__name__
    return {
        "DTDForbidden": "the file declares a DTD "
        "(WordPress exports have none; entity expansion lives there)",
        "EntitiesForbidden": "the file declares entities",
        "ExternalReferenceForbidden": "the file refers to an external resource",
    }.get(name, name)


def _text(element, tag):
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _raw(element, tag):
    """A field's text as written: post content keeps its spacing and line breaks."""
    child = element.find(tag)
    return child.text or "" if child is not None else ""


def _int(element, tag, line, what, required=True):
    value = _text(element, tag)
    if not value and not required:
        return 0
    try:
        return int(value)
    except ValueError:
        raise InvalidExport(f"{what}: <{tag}> is {value!r}, not a number", line) from None


def _date(value):
    """WordPress's GMT dates ("2019-04-02 09:15:00"); "0000-00-00 00:00:00" for never."""
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _author(line, element):
    login = _text(element, "wp:author_login")
    if not login:
        raise InvalidExport("an author without <wp:author_login>", line)
    return Author(
        line=line,
        login=login,
        email=_text(element, "wp:author_email"),
        display_name=_text(element, "wp:author_display_name"),
        first_name=_text(element, "wp:author_first_name"),
        last_name=_text(element, "wp:author_last_name"),
    )


def _term(kind, line, element):
    slug = _text(element, f"wp:{kind}_nicename" if kind == "category" else "wp:tag_slug")
    name = _text(element, "wp:cat_name" if kind == "category" else "wp:tag_name")
    if not slug:
        raise InvalidExport(f"a {kind} without its slug", line)
    parent = _text(element, "wp:category_parent") if kind == "category" else ""
    return Term(line=line, kind=kind, slug=slug, name=name or slug, parent=parent)


def _comment(element, line):
    return Comment(
        wp_id=_int(element, "wp:comment_id", line, "a comment"),
        author=_text(element, "wp:comment_author"),
        email=_text(element, "wp:comment_author_email"),
        url=_text(element, "wp:comment_author_url"),
        ip=_text(element, "wp:comment_author_IP"),
        date=_date(_text(element, "wp:comment_date_gmt")),
        content=_raw(element, "wp:comment_content"),
        approved=_text(element, "wp:comment_approved") or "0",
        kind=_text(element, "wp:comment_type"),
        parent=_int(element, "wp:comment_parent", line, "a comment", required=False),
    )


def _item(line, element):
    wp_id = _int(element, "wp:post_id", line, "an item")
    item = Item(
        line=line,
        wp_id=wp_id,
        post_type=_text(element, "wp:post_type"),
        status=_text(element, "wp:status"),
        title=_text(element, "title"),
        link=_text(element, "link"),
        slug=_text(element, "wp:post_name"),
        creator=_text(element, "dc:creator"),
        content=_raw(element, "content:encoded"),
        excerpt=_raw(element, "excerpt:encoded").strip(),
        date=_date(_text(element, "wp:post_date_gmt")),
        modified=_date(_text(element, "wp:post_modified_gmt")),
        parent=_int(element, "wp:post_parent", line, "an item", required=False),
        attachment_url=_text(element, "wp:attachment_url"),
    )
    if not item.post_type:
        raise InvalidExport(f"item {wp_id} has no <wp:post_type>", line)
    for category in element.findall("category"):
        domain, slug = category.get("domain", ""), category.get("nicename", "")
        pair = (slug, (category.text or "").strip())
        if domain == "category" and slug:
            item.categories.append(pair)
        elif domain == "post_tag" and slug:
            item.tags.append(pair)
    for meta in element.findall("wp:postmeta"):
        key = _text(meta, "wp:meta_key")
        if key:
            item.meta[key] = _raw(meta, "wp:meta_value")
    item.comments = [_comment(c, line) for c in element.findall("wp:comment")]
    return item


def _records(path):
    reader = _Reader(path)
    for kind, line, element in reader:
        if kind == "author":
            yield _author(line, element)
        elif kind in ("category", "tag"):
            yield _term(kind, line, element)
        else:
            yield _item(line, element)
    yield reader.target.site


def read(path):
    """The export's records in file order (Author, Term, Item), then its Site last."""
    return _records(path)


@dataclass
class Summary:
    """What a first pass found: enough for the report's totals and a progress bar's length."""

    site: Site
    authors: int = 0
    terms: int = 0
    items: dict = field(default_factory=dict)  # post_type -> count
    comments: int = 0

    @property
    def posts(self):
        return sum(n for kind, n in self.items.items() if kind in POST_TYPES_READ)


def validate(path):
    """Read the whole export and return its Summary, or raise InvalidExport naming the line.

    Run before anything is written, so a file cut short, a stray byte or a hostile DTD half way
    through a gigabyte leaves the database as it was."""
    counts = Summary(site=Site())
    for record in read(path):
        if isinstance(record, Site):
            counts.site = record
        elif isinstance(record, Author):
            counts.authors += 1
        elif isinstance(record, Term):
            counts.terms += 1
        else:
            counts.items[record.post_type] = counts.items.get(record.post_type, 0) + 1
            counts.comments += len(record.comments)
    return check_summary(counts)


def check_summary(summary):
    """What a whole export must have had, checked once it has been read to the end."""
    if not summary.site.wxr_version:
        raise InvalidExport("no <wp:wxr_version> in the channel: not a WordPress export")
    if not summary.site.key:
        raise InvalidExport("the channel names no site (<link> or <wp:base_blog_url>)")
    return summary
