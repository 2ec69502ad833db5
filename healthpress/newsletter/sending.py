"""The sending pipeline: build an edition, then send it in small resumable batches.

Exactly once per (edition, subscriber):
- Building writes one Delivery row per subscriber who has something new; a unique constraint on
  (edition, subscriber) makes a second row impossible, however often building is resumed.
- Only one sender works on an edition at a time (Edition.runner, taken with a conditional UPDATE;
  a runner whose process is gone, or whose heartbeat is stale, can be taken over).
- Each row is marked `sending` (committed) just before the message goes to the server and `sent`
  (committed, with the subscriber's "new since" mark) right after the server answers 250.

The one remaining edge (RFC 1047): the process dies after the server accepted a message and before
`sent` is committed. The next run finds that row `sending` and sends it again. That is at most one
message per crashed sender (a sender has one message in flight), and the copy carries the same
Message-ID, which mail systems use to fold duplicates. Rows merely `claimed` were never handed to
the server and are sent normally.
"""

import logging
import os
import queue
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import F, Min, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from tqdm import tqdm

from healthpress.core.models import TopicPage, live_articles

from .emails import DigestRenderer, article_summary, delivery_message_id
from .mailer import Mailer, Outcome
from .models import Delivery, Edition, Subscriber, weekly_due_before

logger = logging.getLogger(__name__)


@dataclass
class Summary:
    editions: list = field(default_factory=list)
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    pending: int = 0
    resent_in_flight: int = 0
    busy: bool = False
    stopped_early: str = ""

    def line(self):
        text = (
            f"sent {self.sent}, skipped {self.skipped}, retried {self.retried}, "
            f"failed {self.failed}, still pending {self.pending}"
        )
        if self.resent_in_flight:
            text += f", resent after a crash {self.resent_in_flight}"
        return text


def runner_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def _runner_gone(runner, heartbeat_at, now):
    """True when the sender named `runner` can no longer be working on its edition."""
    if not runner:
        return True
    if heartbeat_at is None or now - heartbeat_at > timedelta(
        seconds=settings.NEWSLETTER_STALE_AFTER
    ):
        return True
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only a stale heartbeat tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _take_over(edition, me, now):
    if edition.runner != me and not _runner_gone(edition.runner, edition.heartbeat_at, now):
        return False
    taken = Edition.objects.filter(pk=edition.pk, runner=edition.runner, open_slot=1).update(
        runner=me, heartbeat_at=now
    )
    return taken == 1


def _new_articles(since, cutoff):
    return list(
        live_articles()
        .filter(first_published_at__gt=since, first_published_at__lte=cutoff)
        .select_related(None)
        .only("pk", "path", "depth", "first_published_at")
    )


def _due_subscribers(now):
    weekly_before = weekly_due_before(now)
    weekly_due = Q(last_sent_at__lte=weekly_before) | Q(
        last_sent_at__isnull=True, articles_since__lte=weekly_before
    )
    return (
        Subscriber.objects.receiving()
        .filter(articles_since__isnull=False)
        .filter(Q(frequency=Subscriber.Frequency.INSTANT) | Q(weekly_due))
    )


def _open_new_edition(me, now):
    """Create the next edition when someone has something new; None when nothing is due or
    another sender opened one first."""
    earliest = _due_subscribers(now).aggregate(since=Min("articles_since"))["since"]
    if earliest is None or not _new_articles(earliest, now):
        return None
    try:
        with transaction.atomic():
            return Edition.objects.create(cutoff=now, runner=me, heartbeat_at=now)
    except IntegrityError:
        return None


def build(edition, progress=False):
    """Write a Delivery (with its articles) for every due subscriber. Safe to run again."""
    due = _due_subscribers(edition.cutoff)
    earliest = due.aggregate(since=Min("articles_since"))["since"]
    articles = _new_articles(earliest, edition.cutoff) if earliest else []
    topic_paths = dict(TopicPage.objects.values_list("pk", "path"))
    batch, used = [], set()
    subscribers = due.only("pk", "articles_since", "all_topics").prefetch_related("topics")
    bar = tqdm(desc="Building", unit=" subscribers", file=sys.stderr, disable=not progress)
    for subscriber in subscribers.iterator(chunk_size=2000):
        bar.update()
        paths = None
        if not subscriber.all_topics:
            paths = {topic_paths.get(t.pk) for t in subscriber.topics.all()}
        chosen = [
            a.pk
            for a in articles
            if a.first_published_at > subscriber.articles_since
            and (paths is None or a.path[: -a.steplen] in paths)
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


def _finish(edition):
    sync_subscribers(edition)
    Edition.objects.filter(pk=edition.pk).update(
        finished_at=timezone.now(), open_slot=None, heartbeat_at=timezone.now()
    )


class Sender:
    """Sends one edition's pending deliveries, batch by batch. NEWSLETTER_CONNECTIONS worker
    threads each hold one reused SMTP connection (network waits overlap; the GIL is released
    while a thread waits for the server), so at most that many messages are ever in flight."""

    def __init__(self, edition, me, summary, progress=False, sleep=time.sleep):
        self.edition = edition
        self.me = me
        self.summary = summary
        self.progress = progress
        self.sleep = sleep
        self.renderer = DigestRenderer()
        self.rate = settings.NEWSLETTER_MAX_PER_SECOND
        self.next_slot = time.monotonic()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.bar = None
        pages = live_articles().filter(pk__in=edition.article_ids)
        topic_titles = dict(TopicPage.objects.values_list("path", "title"))
        self.articles = {page.pk: article_summary(page, topic_titles) for page in pages}

    def recover(self):
        """Rows a dead sender left behind: `claimed` were never sent; `sending` may have been
        accepted by the server (the documented edge) and are resent with the same Message-ID."""
        stale = Delivery.objects.filter(
            edition=self.edition, status__in=[Delivery.Status.CLAIMED, Delivery.Status.SENDING]
        ).exclude(claimed_by=self.me)
        in_flight = stale.filter(status=Delivery.Status.SENDING).count()
        if in_flight:
            logger.warning(
                "%s message(s) were in flight when the previous sender stopped; "
                "resending with the same Message-ID",
                in_flight,
            )
        self.summary.resent_in_flight += in_flight
        stale.update(status=Delivery.Status.PENDING, claimed_by="")

    def _claim(self):
        size = settings.NEWSLETTER_BATCH_SIZE
        pending = Delivery.objects.filter(edition=self.edition, status=Delivery.Status.PENDING)
        ids = list(pending.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return []
        pending.filter(pk__in=ids).update(status=Delivery.Status.CLAIMED, claimed_by=self.me)
        return list(
            Delivery.objects.filter(pk__in=ids, status=Delivery.Status.CLAIMED, claimed_by=self.me)
            .select_related("subscriber")
            .order_by("pk")
        )

    def _still_mine(self):
        return (
            Edition.objects.filter(pk=self.edition.pk, runner=self.me).update(
                heartbeat_at=timezone.now()
            )
            == 1
        )

    def _wait_for_rate(self):
        if self.rate <= 0:
            return
        with self.lock:
            now = time.monotonic()
            wait = self.next_slot - now
            self.next_slot = max(now, self.next_slot) + 1 / self.rate
        if wait > 0:
            self.sleep(wait)

    def _count(self, name):
        with self.lock:
            setattr(self.summary, name, getattr(self.summary, name) + 1)
            if self.bar is not None:
                self.bar.update()

    def _handle(self, delivery, mailer):
        if self.stop.is_set():
            return
        try:
            if not self._send(delivery, mailer):
                self.stop.set()
        except Exception:
            self.stop.set()  # unexpected: stop cleanly, the rows stay resumable
            raise

    def _worker(self, work, mailer):
        try:
            while (delivery := work.get()) is not None:
                try:
                    self._handle(delivery, mailer)
                except Exception:
                    logger.exception("newsletter delivery %s failed", delivery.pk)
                finally:
                    work.task_done()
        finally:
            self._close(mailer)
            db_connection.close()  # this thread's own database connection

    def _close(self, mailer):
        mailer.close()
        with self.lock:
            self.summary.retried += mailer.retries

    def run(self):
        """True when the edition has nothing left to send from this run."""
        self.recover()
        remaining = Delivery.objects.filter(
            edition=self.edition, status=Delivery.Status.PENDING
        ).count()
        self.bar = tqdm(
            total=remaining,
            desc=f"Edition {self.edition.pk}",
            unit=" emails",
            file=sys.stderr,
            disable=not self.progress,
        )
        connections = max(1, settings.NEWSLETTER_CONNECTIONS)
        # One connection: sent from this thread (and its database connection), no workers.
        inline = Mailer(sleep=self.sleep) if connections == 1 else None
        work = queue.Queue()
        workers = []
        if inline is None:
            workers = [
                threading.Thread(target=self._worker, args=(work, Mailer(sleep=self.sleep)))
                for _ in range(connections)
            ]
        for thread in workers:
            thread.start()
        try:
            while not self.stop.is_set():
                if not self._still_mine():
                    self.summary.stopped_early = "another sender took over this edition"
                    return False
                batch = self._claim()
                if not batch:
                    break
                for delivery in batch:
                    if inline is not None:
                        self._handle(delivery, inline)
                    else:
                        work.put(delivery)
                work.join()
                self._release(batch)
                sync_subscribers(self.edition, [d.pk for d in batch])
        finally:
            for _ in workers:
                work.put(None)
            for thread in workers:
                thread.join()
            if inline is not None:
                self._close(inline)
            self.bar.close()
        return not self.stop.is_set()

    def _release(self, batch):
        """Give back the rows this run claimed but did not get to."""
        Delivery.objects.filter(
            pk__in=[d.pk for d in batch], status=Delivery.Status.CLAIMED, claimed_by=self.me
        ).update(status=Delivery.Status.PENDING, claimed_by="")

    def _mark(self, delivery, **fields):
        Delivery.objects.filter(pk=delivery.pk).update(**fields)

    def _send(self, delivery, mailer):
        """Send one delivery; False when the server stays unreachable and the run must stop."""
        subscriber = delivery.subscriber
        articles = [self.articles[pk] for pk in delivery.article_ids if pk in self.articles]
        receiving = subscriber.status == Subscriber.Status.CONFIRMED and not subscriber.paused
        if not receiving or not articles:
            # Unsubscribed, paused or bounced since the edition was built; or articles withdrawn.
            self._mark(delivery, status=Delivery.Status.SKIPPED)
            self._count("skipped")
            return True
        message = self.renderer.message(
            subscriber, articles, delivery_message_id(self.edition.pk, subscriber.pk)
        )
        self._wait_for_rate()
        mark_sending(delivery.pk)
        outcome = mailer.send(message)
        if outcome is Outcome.SENT:
            # Committed at once: the longer this waits, the wider the documented edge.
            mark_sent(delivery.pk)
            self._count("sent")
            return True
        if outcome is Outcome.PERMANENT:
            with transaction.atomic():
                self._mark(delivery, status=Delivery.Status.FAILED, last_error=mailer.last_error)
                record_hard_bounce(subscriber.pk)
            self._count("failed")
            return True
        # Temporary failure that outlasted the retries: leave it for the next run.
        self._mark(
            delivery, status=Delivery.Status.PENDING, claimed_by="", last_error=mailer.last_error
        )
        self.summary.stopped_early = f"mail server unavailable: {mailer.last_error}"
        return False


# The two writes every message makes, as plain SQL: the ORM's query building cost more CPU than
# the rest of the send path on big lists (see bench/bench_newsletter.py).
def mark_sending(delivery_id):
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET status = %s, attempts = attempts + 1 "
            "WHERE id = %s",
            [Delivery.Status.SENDING, delivery_id],
        )


def mark_sent(delivery_id):
    sent_at = db_connection.ops.adapt_datetimefield_value(timezone.now())
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, last_error = '' "
            "WHERE id = %s",
            [Delivery.Status.SENT, sent_at, delivery_id],
        )


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


def record_hard_bounce(subscriber_id):
    """Count a permanent failure; at NEWSLETTER_HARD_BOUNCE_LIMIT the address is suppressed."""
    Subscriber.objects.filter(pk=subscriber_id).update(hard_bounces=F("hard_bounces") + 1)
    Subscriber.objects.filter(
        pk=subscriber_id,
        hard_bounces__gte=settings.NEWSLETTER_HARD_BOUNCE_LIMIT,
        status=Subscriber.Status.CONFIRMED,
    ).update(status=Subscriber.Status.SUPPRESSED, suppressed_at=timezone.now())


def _send_edition(edition, me, summary, progress, sleep):
    if not edition.built:
        build(edition, progress=progress)
    if not Delivery.objects.filter(edition=edition).exists():
        edition.delete()  # new articles, but none in anyone's topics: no empty edition
        return True
    summary.editions.append(edition.pk)
    finished = Sender(edition, me, summary, progress=progress, sleep=sleep).run()
    pending = Delivery.objects.filter(
        edition=edition,
        status__in=[Delivery.Status.PENDING, Delivery.Status.CLAIMED, Delivery.Status.SENDING],
    ).count()
    summary.pending += pending
    if finished and not pending:
        _finish(edition)
        return True
    return False


def send_newsletter(progress=False, sleep=time.sleep):
    """Finish any edition a previous run left open, then send a new one if anything is new."""
    me = runner_id()
    summary = Summary()
    now = timezone.now()
    edition = Edition.objects.filter(open_slot=1).first()
    if edition is not None:
        if not _take_over(edition, me, now):
            summary.busy = True
            return summary
        edition.refresh_from_db()
        if not _send_edition(edition, me, summary, progress, sleep):
            return summary
    edition = _open_new_edition(me, timezone.now())
    if edition is not None:
        _send_edition(edition, me, summary, progress, sleep)
    return summary


def send_test_edition(to_address, count=5):
    """Send the latest articles, exactly as subscribers would see them, to one address."""
    topic_titles = dict(TopicPage.objects.values_list("path", "title"))
    articles = [article_summary(p, topic_titles) for p in live_articles()[:count]]
    if not articles:
        return False
    stand_in = Subscriber(pk=0, email=to_address, token_key="test-edition")
    message = DigestRenderer().message(stand_in, articles, test=True, to=to_address)
    return Mailer().send(message) is Outcome.SENT
