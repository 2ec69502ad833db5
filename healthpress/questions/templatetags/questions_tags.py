"""Template tags the article page uses to show what readers' questions it answers."""

from django import template

register = template.Library()


@register.simple_tag
def readers_questions_note(page):
    # TODO(issue 16): "Answers N readers' questions" — built with the answered notifications.
    return ""
