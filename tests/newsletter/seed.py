"""Helpers the subprocess tests and the bench run in their own process, against the database in
DATABASE_URL: `seed N` (one article, N confirmed subscribers) and `report` (JSON counts)."""

import json
import sys
from datetime import timedelta


def seed(count):
    from django.utils import timezone

    from healthpress.articles.content import save_article
    from healthpress.core.site import get_or_create_topic
    from healthpress.newsletter.models import Subscriber
    from tests.conftest import make_article_content

    since = timezone.now() - timedelta(days=1)
    topic, _ = get_or_create_topic("Muscles, bones and joints")
    # Published first: publishing queues a newsletter run, which must find nobody yet.
    save_article(make_article_content("Why do my legs cramp at night?"), topic=topic, publish=True)
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"reader{n:06d}@example.org",
                status=Subscriber.Status.CONFIRMED,
                frequency=Subscriber.Frequency.INSTANT,
                consent_at=since,
                confirmed_at=since,
                articles_since=since,
            )
            for n in range(count)
        ],
        batch_size=5000,
    )


def report():
    from django.db.models import Count

    from healthpress.newsletter.models import Delivery, Edition

    statuses = dict(
        Delivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    open_editions = Edition.objects.filter(finished_at__isnull=True).count()
    return {"deliveries": statuses, "editions": Edition.objects.count(), "open": open_editions}


def main():
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        print(json.dumps(report()))


if __name__ == "__main__":
    main()
