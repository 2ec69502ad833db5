"""Plain-text articles as experts send them in, read into ArticleContent and saved.

The format (tests/fixtures/import/ holds examples, healthpress/demo/articles/ the demo site)::

    Why do I get hiccups after a fizzy drink        the first non-blank line is the question,
                                                    kept exactly as written
    Mostly because the stomach stretches ...        paragraphs before the first heading are the
                                                    short answer
    1. A stretched stomach                          a numbered heading ("1." or "1)", number 1-99,
                                                    alone in its paragraph, at most 120 characters)
    Gas from the drink ...                          starts a section; its paragraphs explain it
    What you can do: drink slowly ...               "What you can do:" starts the section's advice:
                                                    this paragraph and the rest of the section
    - Sip instead of gulping.                       lines starting "- " (or "* ", "• ") are the
    - Put the drink down while you talk.            items of a bulleted list
    Prevention                                      optional block headings, on a line of their own
    When to see a doctor                            (any case, optional trailing colon) start a
    Seek help now  /  Get medical help now (if)     prevention, see_doctor or urgent block
    First aid: When a calf cramp wakes you          starts a first-aid block with that heading: its
                                                    paragraphs are the intro, its list the steps

    Comments (0)                                    page furniture: from the first "Comments (N)",
    Leave a Comment                                 "Leave a Comment" or "About the Author" line
    About the Author                                to the end, nothing is article text
    Sam Rivera                                      the author block (up to "Stay Updated"): name,
    Senior Expert                                   job title and role with 3 or more lines; job
    Contributing Writer                             title and role with 2; job title with 1
    Stay Updated

Pictures, tables and videos (issue 26) are paragraphs of "Key: value" lines; a value may go
on over the next lines. Picture paths are relative to the article's file::

    Lead image: images/calf.png                     the article's lead image; "Alt:" required
    Alt: A runner holding the back of her calf

    Figure: images/calf-muscle.png                  a figure: "Alt:" is required ("Alt:
    Alt: The calf muscle, drawn from the side       decorative" for a picture that adds nothing
    Caption: The calf muscle tightens in a cramp.   to the text); Caption, Credit, Licence,
    Credit: Drawing: HealthPress                    "Licence URL" and "Line art: yes" (a drawing
    Licence: CC BY 4.0                              kept sharp as PNG) are optional

    Table: Calcium needs by age                     a table: the caption, then rows between
    | Age | Calcium (mg a day) |                    pipes, the first row the column headings; a
    | 1 to 3 years | 700 |                          column whose cells all start with a number
    Source: NIH Office of Dietary Supplements       is a number column; "Source:", "Source URL:"
                                                    and "Header column: no" are optional

    Video: A calf stretch against a wall            a YouTube or Vimeo video: URL, Poster (a
    URL: https://www.youtube.com/watch?v=...        picture path), Duration (m:ss) and Transcript
    Poster: images/stretch.png                      are all required
    Duration: 2:15
    Transcript: Stand an arm's length from a wall...

    Video: A calf stretch against a wall            a video played from this site: "File:" (an
    File: videos/stretch.webm                       MP4 or WebM file) and "Captions:" (its WebVTT
    Captions: videos/stretch.vtt                    track) in place of "URL:", both stored as
    Poster: images/stretch.png                      documents (one already stored with the same
    Duration: 0:24                                  content is reused)
    Transcript: Sit towards the front of ...

Text after a figure, table or video and before the next heading is a paragraph of its own.

Blank lines separate paragraphs, and the lines of one paragraph are joined with a space; a line
starting "What you can do:", a list item and a block heading line also start a new paragraph.
A list item goes on over the lines below it up to a blank line or the next item, and items with
blank lines between them still make one list. In the text of sections and blocks, **two
asterisks** on each side make words bold; the question, the short answer and a first-aid block are
plain text. Section numbers are not stored: the page numbers its sections (and first-aid steps)
when it renders them.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from healthpress.people.models import Person

from .content import ArticleContent, save_article, text_to_html

MAX_FILE_BYTES = 1024 * 1024
MAX_QUESTION = 255  # Page.title
MAX_SHORT_ANSWER = 1200  # ArticlePage.short_answer
MAX_HEADING_LINE = 120
MAX_BLOCK_HEADING = 150  # the blocks' heading fields
MAX_FIRST_AID_INTRO = 600  # FirstAidBlock.intro
MAX_FIRST_AID_STEP = 400  # each of FirstAidBlock.steps
MAX_PERSON_FIELD = 120  # Person.name, job_title and role

NUMBERED_HEADING = re.compile(r"([1-9][0-9]?)[.)]\s+(\S.*)")
BLOCK_HEADINGS = {
    "prevention": "prevention",
    "when to see a doctor": "see_doctor",
    "seek help now": "urgent",
    "seek help now if": "urgent",
    "get medical help now": "urgent",
    "get medical help now if": "urgent",
}
FIRST_AID_HEADING = re.compile(r"first aid:\s*(\S.*?):?", re.IGNORECASE)
ADVICE_PREFIX = re.compile(r"what you can do:\s*", re.IGNORECASE)
LIST_ITEM = re.compile(r"[-*\u2022]\s+(?=\S)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
FURNITURE_START = re.compile(r"comments ?\(\d+\)|leave a comment|about the author", re.IGNORECASE)
FURNITURE = re.compile(
    r"comments ?\(\d+\)|leave a comment|comments are moderated\b.*|no comments yet"
    r"|be the first to share your thoughts!?|about the author|stay updated"
    r"|subscribe to our newsletter\b.*",
    re.IGNORECASE,
)


class InvalidArticle(ValueError):
    """A file that cannot be imported; the message says why, in words for the person importing."""


@dataclass
class Block:
    """One block of the body. Its paragraphs and advice hold paragraphs (str) and bulleted lists
    (a list of the items' text, each a str)."""

    kind: str  # "section", "prevention", "see_doctor", "urgent", "first_aid", "paragraph",
    # "figure", "table" or "video"
    heading: str
    # A section's explanation, a first-aid block's intro (plain text, no lists), else the text.
    paragraphs: list = field(default_factory=list)
    advice: list = field(default_factory=list)  # sections only
    steps: list = field(default_factory=list)  # first-aid blocks only
    fields: dict = field(default_factory=dict)  # figures, tables and videos: "key: value" lines
    rows: list = field(default_factory=list)  # tables only: each row a list of cell texts


@dataclass
class AuthorInfo:
    name: str = ""
    job_title: str = ""
    role: str = ""


@dataclass
class ParsedArticle:
    question: str
    short_answer: list  # paragraphs
    blocks: list = field(default_factory=list)
    author: AuthorInfo = field(default_factory=AuthorInfo)
    lead_image: dict = field(default_factory=dict)  # {"lead image": path, "alt": ...}


def read_article_file(path):
    """The text of `path`, or InvalidArticle when it is too big, binary, not UTF-8 or empty."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidArticle(f"over 1 MB ({size:,} bytes)")
        # Read at most one byte past the limit: the file may have grown since stat().
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InvalidArticle(f"cannot read the file ({error.strerror})") from error
    if len(data) > MAX_FILE_BYTES:
        raise InvalidArticle("over 1 MB")
    if b"\0" in data:
        raise InvalidArticle("binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")  # a BOM, as some Windows editors write, is fine
    except UnicodeDecodeError as error:
        raise InvalidArticle(f"not UTF-8 text (invalid byte at offset {error.start})") from error
    if not text.strip():
        raise InvalidArticle("empty file")
    return text


def parse_article(text):
    """Parse the plain-text format described above; raises InvalidArticle when it does not fit."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next(
        (i for i, line in enumerate(lines) if FURNITURE_START.fullmatch(line.strip())), None
    )
    body_lines, furniture = (lines, []) if start is None else (lines[:start], lines[start:])
    paragraphs = _paragraphs(body_lines)
    if not paragraphs:
        raise InvalidArticle("no question line (the file starts with page furniture)")

    question, *first_rest = paragraphs.pop(0)
    if len(question) > MAX_QUESTION:
        raise InvalidArticle(f"no question line (the first line is over {MAX_QUESTION} characters)")
    # "First aid: ..." may start a question; a bare block heading may not.
    if _numbered_heading([question]) or _fixed_heading(question):
        raise InvalidArticle(f"no question line (the first line is a heading: {question!r})")
    if FURNITURE.fullmatch(question):
        raise InvalidArticle(f"no question line (the first line is page furniture: {question!r})")
    if LIST_ITEM.match(question):
        raise InvalidArticle(f"no question line (the first line is a list item: {question!r})")
    if first_rest:  # the short answer may follow the question without a blank line
        paragraphs.insert(0, first_rest)

    article = ParsedArticle(question=question, short_answer=[], author=_author_info(furniture))
    current, in_advice, after_media = None, False, False
    for para in paragraphs:
        media = _media_block(para)
        if media is not None:
            if media.kind == "lead_image":
                if article.lead_image:
                    raise InvalidArticle("more than one lead image")
                article.lead_image = media.fields
                continue
            article.blocks.append(media)
            current, in_advice, after_media = None, False, True
            continue
        # Text after a figure, table or video (not a heading) is a paragraph of its own.
        if (
            current is None
            and after_media
            and not _numbered_heading(para)
            and not _block_heading(para[0])
        ):
            current = Block("paragraph", "")
            article.blocks.append(current)
        heading = _numbered_heading(para)
        if heading:
            current, in_advice = Block("section", heading), False
            article.blocks.append(current)
            continue
        block_heading = _block_heading(para[0])
        if block_heading:
            current, in_advice = Block(*block_heading), False
            article.blocks.append(current)
            para = para[1:]  # text may start on the line after the heading
            if not para:
                continue
        item = LIST_ITEM.match(para[0])
        if item:
            para = [para[0][item.end() :], *para[1:]]
        paragraph = " ".join(para)
        if current is None:
            if item:
                raise InvalidArticle("a list in the short answer (it is plain text: no lists)")
            article.short_answer.append(paragraph)
        elif current.kind == "first_aid":
            if item:
                current.steps.append(paragraph)
            elif current.steps:
                raise InvalidArticle(f"{current.heading!r} has text after its steps")
            else:
                current.paragraphs.append(paragraph)
        elif current.kind == "section" and (
            in_advice or (not item and ADVICE_PREFIX.match(paragraph))
        ):
            # The rest of the section is advice too: it renders after the explanation, so a
            # paragraph left in the explanation would jump ahead of the advice.
            in_advice = True
            advice = paragraph if item else ADVICE_PREFIX.sub("", paragraph, count=1)
            if advice:
                _append(current.advice, advice, item)
        else:
            _append(current.paragraphs, paragraph, item)
    _check(article)
    return article


MEDIA_START = re.compile(r"(lead image|figure|table|video):\s*(.*)", re.IGNORECASE)
MEDIA_KEYS = {
    "lead_image": {"alt"},
    "figure": {"alt", "caption", "credit", "licence", "license", "licence url", "line art"},
    "table": {"source", "source url", "header column"},
    "video": {"url", "file", "captions", "poster", "duration", "transcript"},
}
KEY_LINE = re.compile(r"([A-Za-z][A-Za-z ]{1,20}):\s*(.*)")


def _media_block(para):
    """A figure, table, video or lead image paragraph as a Block (kind "lead_image" for the
    latter), or None for any other paragraph."""
    start = MEDIA_START.fullmatch(para[0])
    if not start:
        return None
    kind = start.group(1).lower().replace(" ", "_")
    block = Block(kind, "")
    block.fields[kind.replace("_", " ")] = start.group(2).strip()
    last = None
    for line in para[1:]:
        key_line = KEY_LINE.fullmatch(line)
        key = key_line and key_line.group(1).strip().lower()
        if kind == "table" and line.startswith("|"):
            block.rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            last = None
        elif key in MEDIA_KEYS[kind]:
            last = "licence" if key == "license" else key
            block.fields[last] = key_line.group(2).strip()
        elif last:  # a long value goes on over the next lines
            block.fields[last] = f"{block.fields[last]} {line}".strip()
        else:
            raise InvalidArticle(f"{para[0]!r}: cannot read the line {line!r}")
    return block


def _append(texts, paragraph, item):
    """Add a paragraph, or a list item: to the list just before it, else as a new list."""
    if not item:
        texts.append(paragraph)
    elif texts and isinstance(texts[-1], list):
        texts[-1].append(paragraph)
    else:
        texts.append([paragraph])


def _paragraphs(lines):
    """Paragraphs, each a list of its stripped lines.

    Blank lines separate them; so does a line starting "What you can do:", a list item or a block
    heading, because writers often put those straight under the text before.
    """
    paragraphs, current = [], []
    for line in (line.strip() for line in [*lines, ""]):
        starts_paragraph = ADVICE_PREFIX.match(line) or LIST_ITEM.match(line)
        if current and (not line or starts_paragraph or _block_heading(line)):
            paragraphs.append(current)
            current = []
        if line:
            current.append(line)
    return paragraphs


def _numbered_heading(lines):
    """The heading text when the paragraph is a single short "1. Heading" line, else None."""
    if len(lines) != 1 or len(lines[0]) > MAX_HEADING_LINE:
        return None
    match = NUMBERED_HEADING.fullmatch(lines[0])
    return match and match.group(2).strip()


def _fixed_heading(line):
    """(kind, heading) when the line is one of BLOCK_HEADINGS, else None."""
    heading = line.strip().rstrip(":").strip()
    kind = BLOCK_HEADINGS.get(heading.lower())
    return (kind, heading) if kind else None


def _block_heading(line):
    """(kind, heading) when the line is a block heading ("Prevention", "First aid: ..."), else
    None."""
    fixed = _fixed_heading(line)
    if fixed:
        return fixed
    first_aid = FIRST_AID_HEADING.fullmatch(line.strip())
    if first_aid and len(first_aid.group(1)) <= MAX_BLOCK_HEADING:
        return "first_aid", first_aid.group(1).strip()
    return None


def _author_info(furniture):
    """Name, job title and role from the lines after "About the Author", up to "Stay Updated"."""
    lines, in_block = [], False
    for line in (line.strip() for line in furniture):
        if line.lower() == "about the author":
            in_block = True
        elif line.lower() == "stay updated":
            in_block = False
        elif in_block and line and not FURNITURE.fullmatch(line):
            lines.append(line[:MAX_PERSON_FIELD])
    if len(lines) >= 3:
        return AuthorInfo(*lines[:3])
    return AuthorInfo("", *lines)


def _check(article):
    """Refuse what would make a page the admin cannot save, with a reason the writer can act on."""
    if not article.short_answer:
        raise InvalidArticle("no short answer (no text between the question and the first heading)")
    if len("\n\n".join(article.short_answer)) > MAX_SHORT_ANSWER:
        raise InvalidArticle(f"short answer is over {MAX_SHORT_ANSWER} characters")
    if article.lead_image and not article.lead_image.get("alt"):
        raise InvalidArticle('the lead image has no "Alt:" line')
    for block in article.blocks:
        if block.kind in MEDIA_CHECKS:
            MEDIA_CHECKS[block.kind](block)
        elif block.kind == "first_aid":
            _check_first_aid(block)
        elif not block.paragraphs:
            raise InvalidArticle(f"{block.heading!r} has no text under it")
    for kind in ("prevention", "see_doctor"):
        if sum(block.kind == kind for block in article.blocks) > 1:
            raise InvalidArticle(f"more than one {kind.replace('_', ' ')} block")


def _check_figure(block):
    if not block.fields.get("figure"):
        raise InvalidArticle("a figure without a picture path")
    if not block.fields.get("alt"):
        raise InvalidArticle(
            f'figure {block.fields["figure"]!r} has no "Alt:" line (describe the picture, or '
            'write "Alt: decorative")'
        )


def _check_table(block):
    caption = block.fields.get("table", "")
    if not caption:
        raise InvalidArticle('a table without a caption ("Table: what it shows")')
    if len(block.rows) < 2:
        raise InvalidArticle(f"table {caption!r} needs a heading row and at least one row")
    width = len(block.rows[0])
    if any(len(row) != width for row in block.rows):
        raise InvalidArticle(f"table {caption!r}: every row needs {width} cells")


def _check_video(block):
    from .video import parse_video_url

    title = block.fields.get("video", "")
    fields = block.fields
    if bool(fields.get("url")) == bool(fields.get("file")):
        raise InvalidArticle(f'video {title!r} needs one "URL:" line or one "File:" line')
    required = ("poster", "duration", "transcript") + (("captions",) if fields.get("file") else ())
    for key in required:
        if not fields.get(key):
            raise InvalidArticle(f'video {title!r} has no "{key.capitalize()}:" line')
    if fields.get("url") and parse_video_url(fields["url"]) is None:
        raise InvalidArticle(f"video {title!r}: the URL is not a YouTube or Vimeo video")
    if fields.get("file") and Path(fields["file"]).suffix.lower() not in (".mp4", ".webm"):
        raise InvalidArticle(f"video {title!r}: the file must be an MP4 or WebM video")
    if fields.get("file") and Path(fields["captions"]).suffix.lower() != ".vtt":
        raise InvalidArticle(f"video {title!r}: the captions must be a WebVTT (.vtt) file")
    if not re.fullmatch(r"(\d{1,2}:)?\d{1,2}:\d{2}", block.fields["duration"]):
        raise InvalidArticle(f"video {title!r}: write the duration as m:ss, e.g. 3:45")


MEDIA_CHECKS = {"figure": _check_figure, "table": _check_table, "video": _check_video}


def _check_first_aid(block):
    if not block.steps:
        raise InvalidArticle(f'{block.heading!r} has no steps (lines starting "- ")')
    if len("\n\n".join(block.paragraphs)) > MAX_FIRST_AID_INTRO:
        raise InvalidArticle(f"{block.heading!r}: intro is over {MAX_FIRST_AID_INTRO} characters")
    for step in block.steps:
        if len(step) > MAX_FIRST_AID_STEP:
            raise InvalidArticle(
                f"{block.heading!r}: a step is over {MAX_FIRST_AID_STEP} characters"
            )


def rich_text(paragraphs):
    """Paragraphs and bulleted lists as rich-text HTML: the text escaped, never trusted as markup,
    and **bold** as <strong>."""
    html = []
    for paragraph in paragraphs:
        if isinstance(paragraph, list):
            items = "".join(f"<li>{_inline_html(item)}</li>" for item in paragraph)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{_inline_html(paragraph)}</p>")
    return "".join(html)


def _inline_html(text):
    return BOLD.sub(r"<strong>\1</strong>", text_to_html(text))


def article_content(article, base_dir=None):
    """The parsed article as ArticleContent, its text escaped into rich-text HTML, its pictures
    uploaded through Wagtail's image model (one already there with the same content is reused).
    Picture paths are relative to `base_dir`, the folder of the article's file."""
    images = _ImageUploads(base_dir)
    body = []
    for block in article.blocks:
        if block.kind in ("figure", "table", "video"):
            body.append({"type": block.kind, "value": MEDIA_VALUES[block.kind](block, images)})
            continue
        if block.kind == "paragraph":
            body.append({"type": "paragraph", "value": rich_text(block.paragraphs)})
            continue
        if block.kind == "section":
            value = {
                "heading": block.heading,
                "explanation": rich_text(block.paragraphs),
                "advice": rich_text(block.advice),
            }
        elif block.kind == "first_aid":
            intro = "\n\n".join(block.paragraphs)
            value = {"heading": block.heading, "intro": intro, "steps": block.steps}
        else:
            value = {"heading": block.heading, "text": rich_text(block.paragraphs)}
            if block.kind == "urgent":
                value["level"] = "urgent"  # the block's default; the admin can raise it
        body.append({"type": block.kind, "value": value})
    content = ArticleContent(
        question=article.question, short_answer="\n\n".join(article.short_answer), body=body
    )
    if article.lead_image:
        content.lead_image = images.get(article.lead_image["lead image"], article.question)
        content.lead_image_alt = article.lead_image["alt"][:250]
    return content


class _ImageUploads:
    """Pictures (and a self-hosted video's files) named by an article file, uploaded once each
    (core/images.py cleans the pictures)."""

    def __init__(self, base_dir):
        self.base_dir = Path(base_dir) if base_dir else None

    def _path(self, relative, what):
        if self.base_dir is None:
            raise InvalidArticle(f"{what} {relative!r}: no folder to find it in")
        path = (self.base_dir / relative).resolve()
        if not path.is_relative_to(self.base_dir.resolve()):
            raise InvalidArticle(f"{what} {relative!r} is outside the article's folder")
        if not path.is_file():
            raise InvalidArticle(f"{what} {relative!r} not found next to the article")
        return path

    def get(self, relative, title):
        from django.core.exceptions import ValidationError

        from healthpress.core.images import upload_image

        path = self._path(relative, "picture")
        try:
            return upload_image(path, title=title)[0]
        except ValidationError as error:
            raise InvalidArticle(f"picture {relative!r}: {' '.join(error.messages)}") from error

    def document(self, relative, title):
        """The Document for a video or captions file: the one already stored with the same
        content (Wagtail's file_hash, SHA-1 like core/images.py's) or a new one."""
        from django.core.files.base import ContentFile
        from wagtail.documents import get_document_model

        from healthpress.core.images import file_hash

        Document = get_document_model()
        data = self._path(relative, "file").read_bytes()
        existing = Document.objects.filter(file_hash=file_hash(data)).first()
        if existing:
            return existing
        document = Document(title=title[:255], file=ContentFile(data, name=Path(relative).name))
        document.file_size, document.file_hash = len(data), file_hash(data)
        document.save()
        return document


def _figure_value(block, images):
    fields = block.fields
    decorative = fields["alt"].strip().lower() == "decorative"
    image = images.get(fields["figure"], fields.get("caption") or fields["alt"])
    return figure_value(
        image,
        alt="" if decorative else fields["alt"],
        caption=fields.get("caption", ""),
        credit=fields.get("credit", ""),
        licence=fields.get("licence", ""),
        licence_url=fields.get("licence url", ""),
        line_art=fields.get("line art", "").lower() in ("yes", "true"),
    )


def figure_value(image, *, alt, caption="", credit="", licence="", licence_url="", line_art=False):
    """A figure block's raw value; no alt text makes the picture decorative (alt="")."""
    return {
        "image": {"image": image.pk, "decorative": not alt, "alt_text": alt},
        "caption": caption,
        "credit": credit,
        "licence": licence,
        "licence_url": licence_url,
        "line_art": line_art,
    }


NUMBER_CELL = re.compile(r"[<>≤≥~]?\s*[-+]?[0-9]")


def _table_value(block, images):
    headings, *rows = block.rows
    return table_value(
        block.fields["table"],
        headings,
        rows,
        first_column_is_heading=block.fields.get("header column", "yes").lower() != "no",
        source=block.fields.get("source", ""),
        source_url=block.fields.get("source url", ""),
    )


def table_value(caption, headings, rows, *, first_column_is_heading=True, source="", source_url=""):
    """A table block's raw value: a column whose cells all start with a number (after the
    first column) is a number column, aligned right."""
    numeric = [
        all(NUMBER_CELL.match(row[n]) for row in rows if n < len(row)) and n > 0
        for n in range(len(headings))
    ]
    return {
        "table": {
            "caption": caption,
            "columns": [
                {"type": "number" if numeric[n] else "text", "heading": heading}
                for n, heading in enumerate(headings)
            ],
            "rows": [{"values": (row + [""] * len(headings))[: len(headings)]} for row in rows],
        },
        "first_column_is_heading": first_column_is_heading,
        "source": source,
        "source_url": source_url,
    }


def _video_value(block, images):
    from .video import parse_video_url

    fields = block.fields
    poster = images.get(fields["poster"], fields["video"])
    if fields.get("file"):
        source = {
            "provider": "file",
            "url": "",
            "file": images.document(fields["file"], fields["video"]).pk,
            "captions": images.document(fields["captions"], f"{fields['video']}: captions").pk,
        }
    else:
        source = {
            "provider": parse_video_url(fields["url"]).provider,
            "url": fields["url"],
            "file": None,
            "captions": None,
        }
    return {
        "title": fields["video"],
        **source,
        "poster": {"image": poster.pk, "decorative": True, "alt_text": ""},
        "duration": fields["duration"],
        "transcript": rich_text([fields["transcript"]]),
    }


MEDIA_VALUES = {"figure": _figure_value, "table": _table_value, "video": _video_value}


def find_or_create_person(name):
    """The Person with this slug or name (any case), created if there is none; (person, created)."""
    name = " ".join(name.split())
    person = Person.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name)).first()
    if person:
        return person, False
    return Person.objects.create(name=name[:MAX_PERSON_FIELD]), True


def attach_author_info(person, info):
    """Fill the person's empty job title and role from the file; an editor's values always win."""
    changed = [f for f in ("job_title", "role") if getattr(info, f) and not getattr(person, f)]
    for name in changed:
        setattr(person, name, getattr(info, name))
    if changed:
        person.save(update_fields=changed)


def import_article(article, *, topic, author=None, publish=False, via="", base_dir=None):
    """Save a parsed article (a new revision when the question exists already); (page, created).
    Published, it is an operator's act named by `via` (save_article logs it). Pictures are
    found relative to `base_dir`."""
    content = article_content(article, base_dir)
    return save_article(content, topic=topic, author=author, publish=publish, via=via)
