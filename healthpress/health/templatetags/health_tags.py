"""Template tags of the article-health app: the feedback box's state, read from the URL only (the
page is cached whole, so nothing in it may depend on the visitor)."""

from django import template
from django.http import Http404

from ..feedback import read_state

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_state(context):
    """The feedback state: "thanks", "missing", "noted" or "". The page hook (wagtail_hooks.py)
    has already answered any other value with a 404; where no hook ran (a preview, a comment form
    shown again after a POST) such a value shows the plain box."""
    request = context.get("request")
    if request is None:
        return ""
    try:
        return read_state(request.GET)
    except Http404:
        return ""
