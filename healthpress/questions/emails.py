"""The emails readers' questions send, one function per kind; each returns an EmailMessage ready
to send (tasks.py sends them).

Plain text, carrying no more than each reader needs: an asker reads the day they asked and the
outcome, never the words of their question (an email can be read on a lock screen or by whoever
shares the mailbox); the expert reads the question and a link to the draft, never a reader's
details or address (those stay in the admin, for question editors). The confirmation says
nothing about the question at all: the address is not yet known to be the asker's.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from healthpress.core.site import absolute, absolute_url

from .confirmation import LINK_MAX_AGE, confirm_url


def _message(subject, template, context, to):
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "emergency_number": settings.EMERGENCY_NUMBER,
        **context,
    }
    return EmailMessage(subject=subject, body=render_to_string(template, context), to=[to])


def article_url(article):
    """The article's address on its Wagtail Site, as its canonical link has it."""
    return article.get_full_url() or absolute_url(None, article.get_url() or "/")


def confirmation_email(question):
    """The "confirm your address" message: the link, and nothing about the question itself."""
    return _message(
        f"Confirm your email address for {settings.WAGTAIL_SITE_NAME}",
        "questions/email/confirm.txt",
        {"url": confirm_url(question), "days": LINK_MAX_AGE // 86400},
        question.email,
    )


def declined_notice(question, reason):
    """To the asker of a declined question (or of one merged into it): the reason's text."""
    return _message(
        "About the question you asked",
        "questions/email/declined.txt",
        {"question": question, "reason": reason},
        question.email,
    )


def duplicate_notice(question, article):
    """To the asker of a question an existing article answers: its link."""
    return _message(
        "An answer to your question",
        "questions/email/duplicate.txt",
        {"question": question, "article": article, "url": article_url(article)},
        question.email,
    )


def expert_notice(question, article, expert):
    """To the expert an accepted question is given: the question and the draft's admin page."""
    readers = question.family().count()
    return _message(
        "A reader's question for you to answer",
        "questions/email/expert.txt",
        {
            "question": question,
            "article": article,
            "expert": expert,
            "readers": readers,
            "topic": article.get_parent(),
            "edit_url": absolute(reverse("wagtailadmin_pages:edit", args=[article.pk])),
        },
        expert.user.email,
    )


def answered_email(question, article):
    """The one email an asker gets when their question is answered. It names the article (its
    title is public) and never repeats the question or its details."""
    return _message(
        f"{settings.WAGTAIL_SITE_NAME}: your question has been answered",
        "questions/email/answered.txt",
        {"question": question, "article": article, "url": article_url(article)},
        question.email,
    )
