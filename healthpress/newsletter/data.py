"""Data rights: everything stored about one email address, exported or erased."""

from django.db import transaction

from healthpress.core.personal_data import iso

from .models import Delivery, Subscriber


def export_address(email):
    """A JSON-ready record of all we store for `email`, or None when we store nothing."""
    subscriber = Subscriber.objects.filter(email__iexact=email.strip()).first()
    if subscriber is None:
        return None
    deliveries = Delivery.objects.filter(subscriber=subscriber).select_related("edition")
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "frequency": subscriber.frequency,
        "paused": subscriber.paused,
        "topics": "all" if subscriber.all_topics else [t.title for t in subscriber.topics.all()],
        "subscribed_at": iso(subscriber.created_at),
        "consent": {
            "given_at": iso(subscriber.consent_at),
            "network": subscriber.consent_ip,
            "form_wording_version": subscriber.consent_wording,
            "source": subscriber.consent_source,
            "confirmed_at": iso(subscriber.confirmed_at),
        },
        "unsubscribed_at": iso(subscriber.unsubscribed_at),
        "last_email_sent_at": iso(subscriber.last_sent_at),
        "hard_bounces": subscriber.hard_bounces,
        "deliveries": [
            {
                "edition": d.edition_id,
                "status": d.status,
                "sent_at": iso(d.sent_at),
                "articles": d.article_ids,
                "error": d.last_error,
            }
            for d in deliveries.order_by("pk")
        ],
    }


@transaction.atomic
def erase_address(email):
    """Delete the subscriber and every delivery row about them. True when something was erased.

    Their signed links stop working with the row. Edition counts shrink accordingly: what was
    sent to whom is personal data too."""
    subscriber = Subscriber.objects.filter(email__iexact=email.strip()).first()
    if subscriber is None:
        return False
    subscriber.delete()  # deliveries and topic choices cascade
    return True
