"""Editions: who is due, which articles are new, and the Delivery rows that freeze who gets what.

An edition is opened only when some due subscriber has a new article (so there is never an empty
one), and at most one is open at a time (a unique constraint on Edition.open_slot). Building it
writes one Delivery per due subscriber with the article ids frozen in it; the unique constraint on
(edition, subscriber) makes a second row impossible, so an interrupted build is simply run again.
Once a subscriber's delivery is sent, their "new since" mark moves to the edition's cutoff.
"""

import sys

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from tqdm import tqdm

from healthpress.core.models import TopicPage, live_articles

from .models import Delivery, Edition, Subscriber, weekly_due_before


def new_articles(since, cutoff):
    """The live articles first published in (since, cutoff], with only the fields that choosing
    them per subscriber needs."""
    return list(
        live_articles()
        .filter(first_published_at__gt=since, first_published_at__lte=cutoff)
        .select_related(None)
        .only("pk", "path", "depth", "first_published_at")
    )


def due_subscribers(now):
    """Receiving subscribers who want a newsletter at `now`: "each new article" ones always,
    weekly ones once their week (less the cron slack) has passed."""
    weekly_before = weekly_due_before(now)
    weekly_due = Q(last_sent_at__lte=weekly_before) | Q(
        last_sent_at__isnull=True, articles_since__lte=weekly_before
    )
    return (
        Subscriber.objects.receiving()
        .filter(articles_since__isnull=False)
        .filter(Q(frequency=Subscriber.Frequency.INSTANT) | Q(weekly_due))
    )


def open_new_edition(me, now):
    """Create the next edition, leased to `me`, when someone has something new; None when
    nothing is due or another sender opened one first."""
    earliest = due_subscribers(now).aggregate(since=Min("articles_since"))["since"]
    if earliest is None or not new_articles(earliest, now):
        return None
    try:
        with transaction.atomic():
            return Edition.objects.create(cutoff=now, runner=me, heartbeat_at=now)
    except IntegrityError:
        return None


def build(edition, progress=False):
    """Write a Delivery (with its articles) for every due subscriber. Safe to run again."""
    due = due_subscribers(edition.cutoff)
    earliest = due.aggregate(since=Min("articles_since"))["since"]
    articles = new_articles(earliest, edition.cutoff) if earliest else []
    topics = list(TopicPage.objects.only("pk", "path", "depth"))
    # Each article's topic, asked of the tree once per build (is_child_of(), treebeard's).
    topic_of = {a.pk: t.pk for a in articles for t in topics if a.is_child_of(t)}
    batch, used = [], set()
    subscribers = due.only("pk", "articles_since", "all_topics").prefetch_related("topics")
    bar = tqdm(desc="Building", unit=" subscribers", file=sys.stderr, disable=not progress)
    for subscriber in subscribers.iterator(chunk_size=2000):
        bar.update()
        wanted = None
        if not subscriber.all_topics:
            wanted = {t.pk for t in subscriber.topics.all()}
        chosen = [
            a.pk
            for a in articles
            if a.first_published_at > subscriber.articles_since
            and (wanted is None or topic_of.get(a.pk) in wanted)
        ][: settings.NEWSLETTER_MAX_ARTICLES]
        if chosen:
            used.update(chosen)
            batch.append(Delivery(edition=edition, subscriber=subscriber, article_ids=chosen))
        if len(batch) >= 1000:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    bar.close()
    Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    # On a resumed build, keep the articles that earlier rows already refer to.
    edition.article_ids = sorted(used | set(edition.article_ids))
    edition.built = True
    edition.save(update_fields=["article_ids", "built"])


def sync_subscribers(edition, delivery_ids=None):
    """Move each subscriber's "new since" mark to the edition's cutoff once their delivery is
    sent. Done per batch and again when the edition finishes, so a crash in between only delays
    it: no new edition is built while this one is open."""
    sent = Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT)
    if delivery_ids is not None:
        sent = sent.filter(pk__in=delivery_ids)
    cutoff = Value(edition.cutoff)
    Subscriber.objects.filter(pk__in=sent.values("subscriber_id")).update(
        articles_since=Greatest(Coalesce("articles_since", cutoff), cutoff),
        last_sent_at=Greatest(Coalesce("last_sent_at", cutoff), cutoff),
    )


def finish(edition):
    """Close a fully sent edition: last subscriber marks, then free the open slot."""
    sync_subscribers(edition)
    Edition.objects.filter(pk=edition.pk).update(
        finished_at=timezone.now(), open_slot=None, heartbeat_at=timezone.now()
    )
