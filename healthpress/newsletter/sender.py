"""The sender: one edition's pending deliveries, sent in small claimed batches over a few reused
SMTP connections, at most NEWSLETTER_MAX_PER_SECOND.

Each row is marked `sending` (committed) just before its message goes to the server and `sent`
(committed) right after the server answers 250, so a crash leaves every row in a state the next
run can read: `claimed` rows were never handed over and are sent normally; a `sending` row may
have been accepted (the documented edge, see pipeline.py) and is sent again with the same
Message-ID. Permanent failures are recorded on the row and count as a hard bounce.
"""

import functools
import logging
import queue
import sys
import threading
import time

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm

from healthpress.core.models import TopicPage, live_articles
from healthpress.core.sql import column, table

from . import lease
from .editions import sync_subscribers
from .emails import DigestRenderer, article_summary, delivery_message_id
from .mailer import Mailer, Outcome
from .models import Delivery, Subscriber

logger = logging.getLogger(__name__)


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
        topics = list(TopicPage.objects.only("title", "path", "depth"))
        self.articles = {page.pk: article_summary(page, topics) for page in pages}

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
                if not lease.renew(self.edition, self.me):
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


@functools.cache
def _mark_sending_sql():
    status, attempts = column(Delivery, "status"), column(Delivery, "attempts")
    return (
        f"UPDATE {table(Delivery)} SET {status} = %s, {attempts} = {attempts} + 1 "
        f"WHERE {column(Delivery, 'id')} = %s"
    )


@functools.cache
def _mark_sent_sql():
    return (
        f"UPDATE {table(Delivery)} SET {column(Delivery, 'status')} = %s, "
        f"{column(Delivery, 'sent_at')} = %s, {column(Delivery, 'last_error')} = '' "
        f"WHERE {column(Delivery, 'id')} = %s"
    )


def mark_sending(delivery_id):
    """Mark a delivery `sending` (and count the attempt) just before its message is handed over.

    One of the two writes every message makes, written out by hand because building them with the
    ORM cost measurable sender CPU: `bench/bench_newsletter.py --sizes 10000` measured 1.12 and
    1.20 ms of sender CPU per message with these two statements, 1.59 and 1.68 ms with the same
    two updates through `Delivery.objects.filter(pk=...).update(...)` (docs/newsletter.md,
    "Tests and figures"). Table and column names come from the model."""
    with db_connection.cursor() as cursor:
        cursor.execute(_mark_sending_sql(), [Delivery.Status.SENDING, delivery_id])


def mark_sent(delivery_id):
    """Mark a delivery `sent` right after the server answered 250.

    The other write every message makes, written out by hand for the measurement named in
    mark_sending's docstring."""
    sent_at = db_connection.ops.adapt_datetimefield_value(timezone.now())
    with db_connection.cursor() as cursor:
        cursor.execute(_mark_sent_sql(), [Delivery.Status.SENT, sent_at, delivery_id])


def record_hard_bounce(subscriber_id):
    """Count a permanent failure; at NEWSLETTER_HARD_BOUNCE_LIMIT the address is suppressed."""
    Subscriber.objects.filter(pk=subscriber_id).update(hard_bounces=F("hard_bounces") + 1)
    Subscriber.objects.filter(
        pk=subscriber_id,
        hard_bounces__gte=settings.NEWSLETTER_HARD_BOUNCE_LIMIT,
        status=Subscriber.Status.CONFIRMED,
    ).update(status=Subscriber.Status.SUPPRESSED, suppressed_at=timezone.now())
