"""Search under abuse: a per-network rate limit with a readable 429, repeated queries ranked
once, the log written in batches and kept SEARCH_LOG_DAYS days."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from healthpress.search import log, service
from healthpress.search.models import SearchLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    log.flush()
    yield
    cache.clear()


def test_100_distinct_searches_in_a_minute_are_limited_for_that_network_only(
    client, settings, make_article
):
    settings.SEARCH_RATE_LIMITS = [(30, 60)]
    make_article()
    statuses = [
        client.get("/search/", {"q": f"cramp question {n}"}, REMOTE_ADDR="203.0.113.5").status_code
        for n in range(100)
    ]
    assert statuses[:30] == [200] * 30
    assert set(statuses[30:]) == {429}
    refused = client.get("/search/", {"q": "legs"}, REMOTE_ADDR="203.0.113.77")  # same /24
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Please wait a moment before searching again" in refused.content.decode()
    other = client.get("/search/", {"q": "legs cramp"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200 and "cramp" in other.content.decode()


def test_a_repeated_query_is_ranked_once_and_unpublished_articles_leave_at_once(
    client, settings, make_article, monkeypatch
):
    settings.SEARCH_CACHE_SECONDS = 60
    page = make_article("Why do my calves cramp at night?")
    rankings = []
    real = service.ranked_ids
    monkeypatch.setattr(service, "ranked_ids", lambda *args: rankings.append(args) or real(*args))
    assert page.title in client.get("/search/", {"q": "calves cramp"}).content.decode()
    assert page.title in client.get("/search/", {"q": "calves cramp"}).content.decode()
    assert len(rankings) == 1
    page.unpublish()
    assert page.title not in client.get("/search/", {"q": "calves cramp"}).content.decode()


def test_the_log_is_written_in_batches_and_nothing_waiting_is_lost(client, settings):
    settings.SEARCH_LOG_BATCH_SIZE = 5
    settings.SEARCH_LOG_FLUSH_SECONDS = 3600
    for n in range(4):
        client.get("/search/", {"q": f"question {n}"})
    assert SearchLog.objects.count() == 0
    client.get("/search/", {"q": "question 4"})
    assert SearchLog.objects.count() == 5
    client.get("/search/", {"q": "question 5"})
    assert log.flush() == 1
    assert sorted(SearchLog.objects.values_list("query", flat=True))[-1] == "question 5"


def test_pruning_keeps_only_the_last_search_log_days(settings):
    settings.SEARCH_LOG_DAYS = 90
    now = timezone.now()
    for age in (1, 89, 91, 400):
        row = SearchLog.objects.create(query=f"{age} days", result_count=0, took_ms=1)
        SearchLog.objects.filter(pk=row.pk).update(searched_at=now - timedelta(days=age))
    call_command("prune_search_log")
    assert sorted(SearchLog.objects.values_list("query", flat=True)) == ["1 days", "89 days"]
    call_command("prune_search_log", "--days", "0")
    assert not SearchLog.objects.exists()
