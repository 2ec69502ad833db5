"""The dashboard's "Newsletter" panel: how many people receive it and in which rhythm, how many
wait to confirm or have left, when the next newsletter goes out, and the latest editions with
what each sent. Shown to those who manage subscribers (newsletter.change_subscriber, the
permission every newsletter admin page asks), by wagtail_hooks.py.

There is no fixed send time to show: a run starts when an article is published and from cron
(docs/newsletter.md). What the data does say is when the next weekly digest falls due: at the
earliest weekly subscriber's last newsletter (or confirmation) plus a week, less the cron slack
that `weekly_due_before` allows; "each new article" subscribers hear at the next publish.
"""

from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from healthpress.core.dashboard import DashboardPanel, Item, plural

from .models import Edition, Subscriber, weekly_due_before, with_counts

EDITIONS = 3


def subscriber_counts():
    """Every figure the panel says about subscribers, in one aggregate query."""
    status, frequency = Subscriber.Status, Subscriber.Frequency
    receiving = Q(status=status.CONFIRMED, paused=False)
    weekly = receiving & Q(frequency=frequency.WEEKLY)
    return Subscriber.objects.order_by().aggregate(
        receiving=Count("pk", filter=receiving),
        instant=Count("pk", filter=receiving & Q(frequency=frequency.INSTANT)),
        weekly=Count("pk", filter=weekly),
        # Not "paused": an aggregate named like a field hides the field from later filters.
        on_pause=Count("pk", filter=Q(status=status.CONFIRMED, paused=True)),
        pending=Count("pk", filter=Q(status=status.PENDING)),
        unsubscribed=Count("pk", filter=Q(status=status.UNSUBSCRIBED)),
        suppressed=Count("pk", filter=Q(status=status.SUPPRESSED)),
        weekly_since=Min(
            Coalesce("last_sent_at", "articles_since"),
            filter=weekly & Q(articles_since__isnull=False),
        ),
    )


def next_weekly_digest(weekly_since, now):
    """When the earliest weekly subscriber falls due; None when nobody takes the digest."""
    if weekly_since is None:
        return None
    # weekly_due_before(now) is `now` less a week plus the slack: its inverse is that shift.
    return weekly_since + (now - weekly_due_before(now))


def recent_editions():
    latest = Edition.objects.order_by("-created_at", "-pk").values("pk")[:EDITIONS]
    return with_counts(Edition.objects.filter(pk__in=latest)).order_by("-created_at", "-pk")


def edition_item(edition, url):
    sent, failed, skipped = edition.sent_count, edition.failed_count, edition.skipped_count
    counts = f"{sent} sent, {failed} failed, {skipped} skipped"
    if edition.is_open:
        return Item(
            label=str(edition),
            url=url,
            notes=[f"{edition.pending_count} still to send", counts],
            tag="Sending",
        )
    finished = format_date(timezone.localtime(edition.finished_at), "j M Y H:i")
    return Item(label=str(edition), url=url, notes=[f"finished {finished}", counts])


class NewsletterPanel(DashboardPanel):
    name = "newsletter"
    order = 260
    heading = "Newsletter subscribers"
    icon = "mail"
    template_name = "newsletter/admin/dashboard_newsletter.html"
    empty_text = "No newsletter has been sent yet."

    def figures(self, request):
        now = timezone.now()
        counts = subscriber_counts()
        editions_url = reverse("newsletter_editions:index")
        editions = list(recent_editions())
        summary = (
            f"Receiving it: {plural(counts['receiving'], 'subscriber')} "
            f"({counts['instant']} each new article, {counts['weekly']} a weekly digest). "
            f"{counts['pending']} waiting to confirm, {counts['on_pause']} paused, "
            f"{counts['unsubscribed']} unsubscribed, {counts['suppressed']} suppressed "
            "after bounces."
        )
        return {
            "count": counts["receiving"],
            "summary": summary,
            "next_send": self.next_send(counts, editions, now),
            "items": [edition_item(edition, editions_url) for edition in editions],
            "items_caption": "Latest editions",
            "links": [
                (reverse("wagtailsnippets_newsletter_subscriber:list"), "All subscribers"),
                (editions_url, "All editions"),
            ],
        }

    def next_send(self, counts, editions, now):
        if editions and editions[0].is_open:
            to_go = plural(editions[0].pending_count, "message")
            return f"{editions[0]} is being sent: {to_go} to go; a stopped run is resumed."
        due = next_weekly_digest(counts["weekly_since"], now)
        if due is None:
            weekly = "No one takes the weekly digest."
        elif due <= now:
            weekly = "The weekly digest is due now: the next run sends it if anything is new."
        else:
            weekly = (
                f"The next weekly digest is due on "
                f"{format_date(timezone.localtime(due), 'j M Y')}, if there are new articles."
            )
        instant = (
            f" {plural(counts['instant'], 'subscriber')} hear of each new article when it is "
            "published."
            if counts["instant"]
            else ""
        )
        return weekly + instant
