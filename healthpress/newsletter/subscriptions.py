"""Signing up, confirming and leaving: the rules, kept out of the views."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import CONSENT_WORDING_VERSION, Subscriber
from .tasks import send_subscription_email

# At most one confirmation (or "manage your subscription") email per address per hour.
EMAIL_INTERVAL = timedelta(hours=1)


def subscribe(email, ip_network="", source="form"):
    """Record a sign-up and queue its email. Whatever the address's state, the caller shows the
    same page: nothing here tells a visitor whether the address was already known."""
    now = timezone.now()
    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    consent_at=now,
                    consent_ip=ip_network,
                    consent_wording=CONSENT_WORDING_VERSION,
                    consent_source=source,
                )
        except IntegrityError:  # the same address submitted twice at once
            subscriber = Subscriber.objects.get(email__iexact=email)
    elif subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        # Coming back is a new consent, and must be confirmed again.
        subscriber.status = Subscriber.Status.PENDING
        subscriber.consent_at = now
        subscriber.consent_ip = ip_network
        subscriber.consent_wording = CONSENT_WORDING_VERSION
        subscriber.consent_source = source
        subscriber.save()
    if subscriber.status == Subscriber.Status.SUPPRESSED:
        return subscriber  # the address bounces: mailing it again helps nobody
    if claim_email_slot(subscriber, now):
        send_subscription_email.enqueue(subscriber.pk)
    return subscriber


def claim_email_slot(subscriber, now):
    """Atomically take this hour's one email for the address; False when already taken."""
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=now - EMAIL_INTERVAL)
        )
        .update(confirmation_sent_at=now)
    )
    return claimed == 1


def send_new_link(subscriber):
    """Asked for from an expired link: a fresh preference link for a confirmed address, a fresh
    confirmation link for a pending one, nothing for anyone else (`subscriber` is None when
    the link's key was rotated or the address erased). At most one email per address per hour,
    the slot every email sent on request shares."""
    if subscriber is None or subscriber.status not in (
        Subscriber.Status.PENDING,
        Subscriber.Status.CONFIRMED,
    ):
        return False
    if not claim_email_slot(subscriber, timezone.now()):
        return False
    send_subscription_email.enqueue(subscriber.pk)
    return True


def confirm(subscriber):
    if subscriber.status == Subscriber.Status.SUPPRESSED:
        return False
    return subscriber.confirm()


def unsubscribe(subscriber):
    return subscriber.unsubscribe()
