"""The emails the article-health app sends, one function per kind; each returns an EmailMessage
ready to send. Today one kind: the review reminder digest (reminders.py decides who gets it)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from healthpress.core.site import absolute


def edit_url(article):
    return absolute(reverse("wagtailadmin_pages:edit", args=[article.pk]))


def reminder_email(user, items, today):
    """The digest for one person: each due article's title, due date and admin edit link."""
    rows = [
        {"title": a.title, "due": due, "overdue": due < today, "edit_url": edit_url(a)}
        for a, due in items
    ]
    count = len(rows)
    subject = f"{count} article{'s' if count != 1 else ''} due for medical review"
    body = render_to_string(
        "health/email/review_reminder.txt",
        {
            "user": user,
            "rows": rows,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "report_url": absolute(reverse("reviews_due")),
        },
    )
    return EmailMessage(subject=subject, body=body, to=[user.email])
