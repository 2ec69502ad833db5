"""Wagtail hooks of the article-health app: each module registers its own on import."""

from . import dashboard, feedback_hooks, report_hooks  # noqa: F401
