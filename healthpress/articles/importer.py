"""Plain-text articles as experts send them in, read into ArticleContent and saved.

The format (tests/fixtures/import/ holds examples)::

    Why do I get hiccups after a fizzy drink        the first non-blank line is the question,
                                                    kept exactly as written
    Mostly because the stomach stretches ...        paragraphs before the first heading are the
                                                    short answer
    1. A stretched stomach                          a numbered heading ("1." or "1)", number 1-99,
                                                    alone in its paragraph, at most 120 characters)
    Gas from the drink ...                          starts a section; its paragraphs explain it
    What you can do: drink slowly ...               "What you can do:" starts the section's advice:
                                                    this paragraph and the rest of the section
    Prevention                                      optional block headings, on a line of their own
    When to see a doctor                            (any case, optional trailing colon) start a
    Seek help now  /  Get medical help now          prevention, see_doctor or urgent block

    Comments (0)                                    page furniture: from the first "Comments (N)",
    Leave a Comment                                 "Leave a Comment" or "About the Author" line
    About the Author                                to the end, nothing is article text
    Sam Rivera                                      the author block (up to "Stay Updated"): name,
    Senior Expert                                   job title and role with 3 or more lines; job
    Contributing Writer                             title and role with 2; job title with 1
    Stay Updated

Blank lines separate paragraphs, and the lines of one paragraph are joined with a space; a line
starting "What you can do:" and a block heading line also start a new paragraph.
Section numbers are not stored: the page numbers its sections when it renders them.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from healthpress.people.models import Person

from .content import ArticleContent, paragraphs_to_html, save_article

MAX_FILE_BYTES = 1024 * 1024
MAX_QUESTION = 255  # Page.title
MAX_SHORT_ANSWER = 1200  # ArticlePage.short_answer
MAX_HEADING_LINE = 120
MAX_PERSON_FIELD = 120  # Person.name, job_title and role

NUMBERED_HEADING = re.compile(r"([1-9][0-9]?)[.)]\s+(\S.*)")
BLOCK_HEADINGS = {
    "prevention": "prevention",
    "when to see a doctor": "see_doctor",
    "seek help now": "urgent",
    "get medical help now": "urgent",
}
ADVICE_PREFIX = re.compile(r"what you can do:\s*", re.IGNORECASE)
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
    kind: str  # "section", "prevention", "see_doctor" or "urgent"
    heading: str
    paragraphs: list = field(default_factory=list)  # a section's explanation, else the text
    advice: list = field(default_factory=list)  # sections only


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
    if _numbered_heading([question]) or _block_kind(question):
        raise InvalidArticle(f"no question line (the first line is a heading: {question!r})")
    if FURNITURE.fullmatch(question):
        raise InvalidArticle(f"no question line (the first line is page furniture: {question!r})")
    if first_rest:  # the short answer may follow the question without a blank line
        paragraphs.insert(0, first_rest)

    article = ParsedArticle(question=question, short_answer=[], author=_author_info(furniture))
    current, in_advice = None, False
    for para in paragraphs:
        heading = _numbered_heading(para)
        if heading:
            current, in_advice = Block("section", heading), False
            article.blocks.append(current)
            continue
        kind = _block_kind(para[0])
        if kind:
            current, in_advice = Block(kind, para[0].rstrip(":").strip()), False
            article.blocks.append(current)
            para = para[1:]  # text may start on the line after the heading
            if not para:
                continue
        paragraph = " ".join(para)
        if current is None:
            article.short_answer.append(paragraph)
        elif current.kind == "section" and (in_advice or ADVICE_PREFIX.match(paragraph)):
            # The rest of the section is advice too: it renders after the explanation, so a
            # paragraph left in the explanation would jump ahead of the advice.
            in_advice = True
            advice = ADVICE_PREFIX.sub("", paragraph, count=1)
            if advice:
                current.advice.append(advice)
        else:
            current.paragraphs.append(paragraph)
    _check(article)
    return article


def _paragraphs(lines):
    """Paragraphs, each a list of its stripped lines.

    Blank lines separate them; so does a line starting "What you can do:" or a block heading,
    because writers often put those straight under the text before.
    """
    paragraphs, current = [], []
    for line in (line.strip() for line in [*lines, ""]):
        if current and (not line or ADVICE_PREFIX.match(line) or _block_kind(line)):
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


def _block_kind(line):
    return BLOCK_HEADINGS.get(line.rstrip(":").strip().lower())


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
    for block in article.blocks:
        if not block.paragraphs:
            raise InvalidArticle(f"{block.heading!r} has no text under it")
    for kind in ("prevention", "see_doctor"):
        if sum(block.kind == kind for block in article.blocks) > 1:
            raise InvalidArticle(f"more than one {kind.replace('_', ' ')} block")


def article_content(article):
    """The parsed article as ArticleContent, its text escaped into rich-text HTML."""
    body = []
    for block in article.blocks:
        if block.kind == "section":
            value = {
                "heading": block.heading,
                "explanation": paragraphs_to_html(block.paragraphs),
                "advice": paragraphs_to_html(block.advice),
            }
        else:
            value = {"heading": block.heading, "text": paragraphs_to_html(block.paragraphs)}
        body.append({"type": block.kind, "value": value})
    return ArticleContent(
        question=article.question, short_answer="\n\n".join(article.short_answer), body=body
    )


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


def import_article(article, *, topic, author=None, publish=False):
    """Save a parsed article (a new revision when the question exists already); (page, created)."""
    return save_article(article_content(article), topic=topic, author=author, publish=publish)
