"""Reading level: how hard an article is to read, so writers can aim at the 6th-8th grade that
health-literacy guidance (NIH, AMA) asks of patient material.

The figures come from textstat (a maintained library; pinned at 0.7.8, the last release that works
offline): the Flesch-Kincaid grade of the reader-facing text, and the share of long sentences.
A long sentence has more than LONG_SENTENCE_WORDS (25) words, split and counted the way textstat
splits and counts them for the grade, so the two figures agree on what a sentence is.

The reader-facing text is the question (title), the short answer and the body's text (section
headings and their rich text, prevention, see-a-doctor, urgent and first-aid blocks, paragraphs);
references are not read as prose and are left out, as are the urgent block's level choice.

Stored per article (models.Readability) when it is published, for the Article health report; the
page editor measures the draft being edited on each visit (wagtail_hooks.py), so a writer sees
the figure of what they are writing, not of what is live.
"""

import re
from html import unescape

import textstat
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text import RichText

from healthpress.articles.models import ArticlePage

from .models import Readability

LONG_SENTENCE_WORDS = 25
# textstat's own sentence pattern (textstat/backend/counts/_count_sentences.py, 0.7.8); sentences
# of two words or fewer are not counted as sentences there either.
SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
BLOCK_END = re.compile(r"</(p|h\d|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
ENDS_SENTENCE = re.compile(r"[.!?:;]$")


def html_lines(html):
    """Rich text as its lines of plain text: a paragraph, list item or heading each a line."""
    return unescape(strip_tags(BLOCK_END.sub("\n", html))).splitlines()


def block_text(block, value):
    """The reader-facing lines of one StreamField block value, whatever its nesting."""
    if isinstance(block, blocks.RichTextBlock) or isinstance(value, RichText):
        yield from html_lines(value.source if isinstance(value, RichText) else str(value))
    elif isinstance(block, ImageBlock):
        return  # a picture (its value is the Image): alt text is not the article's prose
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from block_text(child, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value or []:
            yield from block_text(block.child_block, item)
    elif isinstance(block, blocks.StreamBlock):
        for child in value or []:
            yield from block_text(child.block, child.value)
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)) and value:
        yield from str(value).splitlines()
    # Choices, URLs, dates and numbers are not prose.


def reader_text(article):
    """The article as a reader reads it: one sentence-ended line per heading, paragraph or list
    item, so a heading or a bullet does not run into the next sentence."""
    lines = [article.title, *article.short_answer.splitlines()]
    lines += block_text(article.body.stream_block, article.body)
    text = []
    for line in lines:
        line = " ".join(line.split())
        if line:
            text.append(line if ENDS_SENTENCE.search(line) else line + ".")
    return "\n".join(text)


def sentences(text):
    """textstat's sentences: the pieces its grade divides the words by."""
    return [s for s in SENTENCE.findall(text) if textstat.lexicon_count(s) > 2]


def measure(article):
    """(Flesch-Kincaid grade, share of sentences over LONG_SENTENCE_WORDS words, words) of the
    article's reader-facing text; (0.0, 0.0, 0) for an article with no text."""
    text = reader_text(article)
    words = textstat.lexicon_count(text)
    if not words:
        return 0.0, 0.0, 0
    found = sentences(text)
    long = sum(1 for s in found if textstat.lexicon_count(s) > LONG_SENTENCE_WORDS)
    share = long / len(found) if found else 0.0
    return float(textstat.flesch_kincaid_grade(text)), share, words


def store(article):
    """Measure `article` and keep the figures in its Readability row."""
    grade, share, words = measure(article)
    Readability.objects.update_or_create(
        article_id=article.pk,
        defaults={
            "grade": grade,
            "long_sentence_share": share,
            "words": words,
            "computed_at": timezone.now(),
        },
    )


def store_many(article_ids):
    """The reading level of the live articles of an import batch, in one delete and one insert
    (a bulk import sends no per-article `page_published`)."""
    rows = []
    for article in ArticlePage.objects.live().filter(pk__in=article_ids):
        grade, share, words = measure(article)
        rows.append(
            Readability(article=article, grade=grade, long_sentence_share=share, words=words)
        )
    Readability.objects.filter(article_id__in=article_ids).delete()
    Readability.objects.bulk_create(rows)
