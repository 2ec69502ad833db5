"""The runner lease: which process may send the open edition.

Only one sender works on an edition at a time, so no two processes ever claim the same rows or
race on the rate limit. The lease is Edition.runner ("host:pid") plus Edition.heartbeat_at, taken
with a conditional UPDATE (the row changes only if the runner is still the one we saw) and renewed
before every batch. A runner whose process is gone (same host), or whose heartbeat is older than
NEWSLETTER_STALE_AFTER (another host, where we cannot look at its process), can be taken over.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Edition


def runner_id():
    """This process's name in Edition.runner and Delivery.claimed_by."""
    return f"{socket.gethostname()}:{os.getpid()}"


def runner_gone(runner, heartbeat_at, now):
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


def take_over(edition, me, now):
    """Take the open edition's lease for `me`; False when a live sender holds it, or another
    process took it between our read and this UPDATE."""
    if edition.runner != me and not runner_gone(edition.runner, edition.heartbeat_at, now):
        return False
    taken = Edition.objects.filter(pk=edition.pk, runner=edition.runner, open_slot=1).update(
        runner=me, heartbeat_at=now
    )
    return taken == 1


def renew(edition, me):
    """Beat the heartbeat; False when another sender has taken the edition over meanwhile."""
    renewed = Edition.objects.filter(pk=edition.pk, runner=me).update(heartbeat_at=timezone.now())
    return renewed == 1
