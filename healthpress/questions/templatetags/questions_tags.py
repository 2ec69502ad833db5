"""Template tags the article page uses to show what readers' questions it answers."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..answers import readers_questions_count

register = template.Library()


@register.simple_tag
def readers_questions_note(page):
    """The note "Answers N readers' questions": a count, nothing about the questions or who asked
    (answers.counted()). Nothing when there are none. The counts come from the memo kept until
    the next purge (answers.readers_questions_count), so a warm render costs no query."""
    count = readers_questions_count(page.pk) if page.pk else 0
    if not count:
        return ""
    text = "Answers 1 reader's question" if count == 1 else f"Answers {count} readers' questions"
    return format_html(
        '<p class="byline__questions"><a href="{}">{}</a></p>', reverse("questions:answered"), text
    )
