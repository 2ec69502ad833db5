"""The emails comments send, one function per kind. Each returns an EmailMessage ready to send."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from healthpress.core.site import absolute

from . import links


def _message(subject, template, context, to):
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    body = render_to_string(template, context)
    return EmailMessage(subject=subject, body=body, to=[to])


def article_url(article, comment=None):
    url = article.get_full_url() or absolute(article.url or "/")
    return f"{url}#comment-{comment.pk}" if comment else url


def moderator_digest(moderator, comments):
    """Every moderator gets the same list: name, article and text, never a commenter's address or
    network, and a link to each comment's admin page (decisions need a sign-in)."""
    items = [
        {
            "comment": c,
            "article_url": article_url(c.article),
            "moderate_url": links.moderation_page_url(c),
        }
        for c in comments
    ]
    count = len(items)
    subject = f"{count} new comment{'s' if count != 1 else ''} to moderate"
    return _message(
        subject,
        "comments/email/moderator_digest.txt",
        {
            "moderator": moderator,
            "items": items,
            "admin_url": absolute(reverse("comments_admin:index") + "?status=pending"),
        },
        moderator.email,
    )


def published_notice(comment):
    return _message(
        "Your comment is published",
        "comments/email/published.txt",
        {"comment": comment, "url": article_url(comment.article, comment)},
        comment.email,
    )


def reply_notice(reply, parent):
    return _message(
        "Someone replied to your comment",
        "comments/email/reply.txt",
        {"reply": reply, "parent": parent, "url": article_url(reply.article, reply)},
        parent.email,
    )


def trust_confirmation(comment):
    return _message(
        "Confirm your comment",
        "comments/email/confirm.txt",
        {"comment": comment, "url": links.confirm_url(comment), "article": comment.article},
        comment.email,
    )
