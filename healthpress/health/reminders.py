"""Review reminders: before an article's next review falls due, the person who reviews it hears
about it, in one digest email a week at most, and never twice for the same due date.

The rules (docs/article-health.md, "Review reminders"):
- Due: a live article whose `next_review_due` is within REVIEW_REMINDER_DAYS days (30), or past
  and never reminded for that date.
- Who: the article's reviewer (people.Person) through their admin account, if it is active and
  has an email address; otherwise every active member of "Medical reviewers" with one.
- How often: one digest per person listing all their due articles; a person who got one in the
  last 7 days (by date: a digest sent on a Monday allows the next one the Monday after) waits.
- Never twice: a ReviewReminder row (recipient, article, due date) records each reminder. Rows
  are claimed in a transaction before the email goes, so a crash after the claim sends nothing
  twice (a crash between the claim and the send loses that reminder: the Reviews due report still
  lists the article); a failed send deletes its claims, so the next run tries again.

manage.py send_review_reminders runs this daily from cron.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from healthpress.articles.models import ArticlePage
from healthpress.articles.review import REVIEWER_GROUP

from .emails import reminder_email
from .models import ReviewReminder

log = logging.getLogger(__name__)
WEEK_DAYS = 7


@dataclass
class Outcome:
    """What a run did, for the command's output."""

    emails: int = 0
    articles: int = 0  # reminders sent (one per person and article)
    waiting: list = field(default_factory=list)  # people who had a digest this week
    failed: list = field(default_factory=list)  # (user, error) whose send failed
    nobody: list = field(default_factory=list)  # due articles with no one to remind


def due_articles(today):
    """Live articles whose next review is within REVIEW_REMINDER_DAYS, or past: soonest first."""
    horizon = today + timedelta(days=settings.REVIEW_REMINDER_DAYS)
    return (
        ArticlePage.objects.live()
        .filter(next_review_due__isnull=False, next_review_due__lte=horizon)
        .select_related("reviewer__user")
        .order_by("next_review_due", "title", "pk")
    )


def can_be_reminded(user):
    return user is not None and user.is_active and bool(user.email)


def reviewers_group():
    """Active members of the Medical reviewers group with an email address."""
    users = get_user_model().objects.filter(groups__name=REVIEWER_GROUP, is_active=True)
    return list(users.exclude(email="").distinct().order_by("pk"))


def recipients_for(article, group):
    reviewer = article.reviewer
    user = reviewer.user if reviewer is not None else None
    return [user] if can_be_reminded(user) else group


def pending(today):
    """{user pk: (user, [(article, due date), ...])} for reminders never sent, and the due
    articles nobody can be reminded about."""
    articles = list(due_articles(today))
    sent = set(
        ReviewReminder.objects.filter(article__in=articles).values_list(
            "recipient_id", "article_id", "due"
        )
    )
    group = reviewers_group()
    by_user, nobody = {}, []
    for article in articles:
        recipients = recipients_for(article, group)
        if not recipients:
            nobody.append(article)
        for user in recipients:
            if (user.pk, article.pk, article.next_review_due) in sent:
                continue
            by_user.setdefault(user.pk, (user, []))[1].append((article, article.next_review_due))
    return by_user, nobody


def reminded_this_week(user, today):
    """Did `user` get a digest in the last WEEK_DAYS days (counted in days, so a daily cron that
    runs a few seconds early does not push the next digest back a day)?"""
    last = (
        ReviewReminder.objects.filter(recipient=user)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return last is not None and timezone.localdate(last) > today - timedelta(days=WEEK_DAYS)


def claim(user, items, now):
    """Record the reminders to `user` before sending them, in one transaction that rechecks the
    weekly rule with the person's row locked (two runs at once: the second finds the first's
    rows). Returns the (article, due) pairs claimed: empty when the person has to wait."""
    today = timezone.localdate(now)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        if reminded_this_week(user, today):
            return []
        taken = set(
            ReviewReminder.objects.filter(
                recipient=user, article__in=[a for a, _ in items]
            ).values_list("article_id", "due")
        )
        items = [(a, due) for a, due in items if (a.pk, due) not in taken]
        ReviewReminder.objects.bulk_create(
            ReviewReminder(recipient=user, article=a, due=due, sent_at=now) for a, due in items
        )
    return items


def release(user, items, now):
    """Forget the claims of a digest that could not be sent, so the next run sends it."""
    ReviewReminder.objects.filter(
        recipient=user, sent_at=now, article__in=[a for a, _ in items]
    ).delete()


def send_review_reminders(now=None):
    """Send every digest that is due now. Returns an Outcome."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    by_user, nobody = pending(today)
    outcome = Outcome(nobody=nobody)
    connection = get_connection(fail_silently=False)
    try:
        for user, items in by_user.values():
            claimed = claim(user, items, now)
            if not claimed:
                outcome.waiting.append(user)
                continue
            message = reminder_email(user, claimed, today)
            message.connection = connection
            try:
                message.send()
            except (SMTPException, OSError) as error:
                release(user, claimed, now)
                log.warning("review reminder to user %s not sent: %s", user.pk, error)
                outcome.failed.append((user, error))
                continue
            outcome.emails += 1
            outcome.articles += len(claimed)
    finally:
        connection.close()
    return outcome
