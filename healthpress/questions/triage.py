"""What triage decisions make and send: the draft article an accepted question becomes, who may
be its expert, and the three emails (one function per kind) the decisions send.

The Question methods (models.py) decide; this module builds. Emails are plain text and carry no
more than each reader needs: an asker reads the day they asked and the outcome, never the words
of their question (an email can be read on a lock screen, as answers.py says too); the expert
reads the question and a link to the draft, never a reader's details or address (those stay in
the admin, for question editors).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from healthpress.articles.content import ArticleContent, find_article, save_article
from healthpress.articles.models import ArticlePage
from healthpress.core.site import absolute_url
from healthpress.people.models import Person

from .models import TriageError

# ArticlePage.short_answer is required; the expert replaces this before submitting for review.
DRAFT_SHORT_ANSWER = (
    "[Draft] Replace this with the answer in two or three sentences before submitting the "
    "article for medical review."
)


def experts():
    """People who can be asked to write an answer: linked to an active admin account that has
    an email address to be told at."""
    return (
        Person.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("name")
    )


def can_be_expert(person):
    return person is not None and experts().filter(pk=person.pk).exists()


def live_articles():
    """The articles a question can be a duplicate of: published ones."""
    return ArticlePage.objects.live().order_by("title")


def draft_article(question, topic, expert, by=None):
    """A new draft ArticlePage under `topic`, titled with the question, written by `expert`,
    through the service every article is saved by (articles/content.py). The expert's account
    owns the draft, as if they had created it in the admin."""
    existing = find_article(question.question)
    if existing is not None:
        raise TriageError(
            f"An article already asks this question (“{existing.title}”): mark the question as "
            "a duplicate of it instead."
        )
    content = ArticleContent(question=question.question, short_answer=DRAFT_SHORT_ANSWER)
    page, _ = save_article(content, topic=topic, author=expert, publish=False, user=by)
    ArticlePage.objects.filter(pk=page.pk).update(owner=expert.user)
    page.owner = expert.user
    return page


def admin_edit_url(page):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )


def article_url(article):
    return article.get_full_url() or absolute_url(None, article.get_url() or "/")


def _message(subject, template, context, to):
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "emergency_number": settings.EMERGENCY_NUMBER,
        **context,
    }
    return EmailMessage(subject=subject, body=render_to_string(template, context), to=[to])


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
            "edit_url": admin_edit_url(article),
        },
        expert.user.email,
    )
