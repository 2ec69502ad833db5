"""The sending pipeline: what `manage.py send_newsletter`, the publish task and the admin call.

A run finishes any edition a previous run left open, then opens, builds and sends the next one if
anything is new. Exactly once per (edition, subscriber):
- Building writes one Delivery row per subscriber who has something new; a unique constraint on
  (edition, subscriber) makes a second row impossible, however often building is resumed
  (editions.py).
- Only one sender works on an edition at a time (the runner lease, lease.py: a runner whose
  process is gone, or whose heartbeat is stale, can be taken over).
- Each row is marked `sending` (committed) just before the message goes to the server and `sent`
  (committed, with the subscriber's "new since" mark) right after the server answers 250
  (sender.py).

The one remaining edge (RFC 1047): the process dies after the server accepted a message and before
`sent` is committed. The next run finds that row `sending` and sends it again. That is at most one
message per connection of the crashed sender (each has one message in flight), and the copy
carries the same Message-ID, which mail systems use to fold duplicates. Rows merely `claimed` were
never handed to the server and are sent normally.
"""

import time
from dataclasses import dataclass, field

from django.utils import timezone

from healthpress.core.models import TopicPage, live_articles

from . import editions, lease
from .emails import DigestRenderer, article_summary
from .mailer import Mailer, Outcome
from .models import Delivery, Edition, Subscriber
from .sender import Sender


@dataclass
class Summary:
    """What one run did, for the command's output and the task's result."""

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


def _send_edition(edition, me, summary, progress, sleep):
    """Build (or finish building) and send one edition; True when it is finished."""
    if not edition.built:
        editions.build(edition, progress=progress)
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
        editions.finish(edition)
        return True
    return False


def send_newsletter(progress=False, sleep=time.sleep):
    """Finish any edition a previous run left open, then send a new one if anything is new."""
    me = lease.runner_id()
    summary = Summary()
    now = timezone.now()
    edition = Edition.objects.filter(open_slot=1).first()
    if edition is not None:
        if not lease.take_over(edition, me, now):
            summary.busy = True
            return summary
        edition.refresh_from_db()
        if not _send_edition(edition, me, summary, progress, sleep):
            return summary
    edition = editions.open_new_edition(me, timezone.now())
    if edition is not None:
        _send_edition(edition, me, summary, progress, sleep)
    return summary


def send_test_edition(to_address, count=5):
    """Send the latest articles, exactly as subscribers would see them, to one address."""
    topics = list(TopicPage.objects.only("title", "path", "depth"))
    articles = [article_summary(p, topics) for p in live_articles()[:count]]
    if not articles:
        return False
    stand_in = Subscriber(pk=0, email=to_address, token_key="test-edition")
    message = DigestRenderer().message(stand_in, articles, test=True, to=to_address)
    return Mailer().send(message) is Outcome.SENT
