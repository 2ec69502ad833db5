"""Caching partners can rely on: validators and 304s, answers kept on the server while nothing
they show has changed, purged after commit like the pages; withdrawn articles answer 410."""

from datetime import date

import pytest
from django.utils.http import http_date

from healthpress.api.models import Withdrawal
from healthpress.articles.content import ArticleContent, save_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(page_cache_on):
    """The server keeps answers only while the page cache is on."""


def test_etag_and_304(api, make_article):
    page = make_article()
    url = f"/api/v1/articles/{page.pk}"
    first = api.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=300, must-revalidate"
    assert first["Vary"] == "X-API-Key"
    again = api.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert api.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    since = api.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    older = api.get(url, headers={"If-Modified-Since": http_date(0)})
    assert older.status_code == 200


def test_second_read_is_kept_and_needs_only_the_key_check(
    api, make_article, django_assert_max_num_queries
):
    page = make_article()
    url = f"/api/v1/articles/{page.pk}"
    first = api.get(url)
    assert first["X-API-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the key
        second = api.get(url)
    assert second["X-API-Cache"] == "hit" and second.content == first.content


def test_an_edit_purges_the_article_and_the_lists_after_commit(api, make_article, topic, committed):
    page = make_article(short_answer="Old answer.")
    urls = [f"/api/v1/articles/{page.pk}", "/api/v1/articles", "/api/v1/manifest"]
    before = {url: api.get(url) for url in urls}
    content = ArticleContent(page.title, "New answer.")
    with committed():
        save_article(content, topic=topic, publish=True)
    after = {url: api.get(url) for url in urls}
    for url in urls:
        assert after[url]["X-API-Cache"] == "miss", url
        assert after[url]["ETag"] != before[url]["ETag"], url
    assert after[urls[0]].json()["short_answer"] == "New answer."
    revalidated = api.get(urls[0], headers={"If-None-Match": before[urls[0]]["ETag"]})
    assert revalidated.status_code == 200


def test_a_draft_changes_nothing(api, make_article, topic, committed):
    page = make_article(short_answer="Live answer.")
    url = f"/api/v1/articles/{page.pk}"
    etag = api.get(url)["ETag"]
    with committed():
        save_article(ArticleContent(page.title, "Draft answer."), topic=topic)
    assert api.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_editing_the_author_purges_their_articles(api, make_article, author, committed):
    page = make_article()
    url = f"/api/v1/articles/{page.pk}"
    api.get(url)
    author.credentials = "MD, PhD"
    with committed():
        author.save()
    assert api.get(url).json()["author"]["credentials"] == "MD, PhD"


def test_overdue_list_and_search_are_never_kept(api, make_article):
    make_article()
    for url in ["/api/v1/articles?overdue=true", "/api/v1/search?q=cramp"]:
        assert api.get(url)["X-API-Cache"] == "off"
        response = api.get(url)
        assert response["Cache-Control"] == "no-cache"
        # Still revalidated by its ETag.
        assert api.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_unpublished_article_is_410_and_listed_as_withdrawn(api, make_article, committed):
    page = make_article()
    url = f"/api/v1/articles/{page.pk}"
    assert api.get(url).status_code == 200
    api.get("/api/v1/withdrawn")
    with committed():
        page.unpublish()
    gone = api.get(url)
    assert gone.status_code == 410
    assert gone.json() == {"detail": "This article was withdrawn: remove your copy."}
    [entry] = api.get("/api/v1/withdrawn").json()["results"]
    assert entry["id"] == page.pk and entry["reason"] == "unpublished"
    assert entry["url"] == "http://localhost" + page.url
    assert api.get("/api/v1/manifest").json()["results"] == []


def test_deleted_article_is_410_and_listed_as_deleted(api, make_article, committed):
    page = make_article()
    page_id = page.pk
    with committed():
        page.delete()
    assert api.get(f"/api/v1/articles/{page_id}").status_code == 410
    [entry] = api.get("/api/v1/withdrawn").json()["results"]
    assert (entry["id"], entry["reason"]) == (page_id, "deleted")


def test_deleting_a_draft_withdraws_nothing(api, make_article, committed):
    page = make_article(publish=False)
    with committed():
        page.delete()
    assert not Withdrawal.objects.exists()


def test_published_again_is_no_longer_withdrawn(api, make_article, committed):
    page = make_article()
    with committed():
        page.unpublish()
    with committed():
        page.save_revision().publish()
    assert api.get(f"/api/v1/articles/{page.pk}").status_code == 200
    assert api.get("/api/v1/withdrawn").json()["results"] == []


def test_a_rolled_back_unpublish_withdraws_nothing(
    api, make_article, django_capture_on_commit_callbacks
):
    page = make_article()
    with django_capture_on_commit_callbacks(execute=False):
        page.unpublish()
    assert not Withdrawal.objects.exists()


def test_withdrawn_since_a_date(api, make_article, committed):
    old, new = make_article("Why do my knees click?"), make_article()
    with committed():
        old.unpublish()
    Withdrawal.objects.filter(page_id=old.pk).update(withdrawn_at="2020-01-01T00:00:00Z")
    with committed():
        new.unpublish()
    listed = api.get("/api/v1/withdrawn?since=2024-01-01T00:00:00Z").json()["results"]
    assert [entry["id"] for entry in listed] == [new.pk]
    paged = api.get("/api/v1/withdrawn?limit=1").json()
    assert [e["id"] for e in paged["results"]] == [min(old.pk, new.pk)]
    assert paged["next"].endswith(f"after={min(old.pk, new.pk)}&limit=1")


def test_date_of_next_review_is_given_not_judged(api, make_article):
    page = make_article()
    page.next_review_due = date(2000, 1, 1)
    page.save_revision().publish()
    data = api.get(f"/api/v1/articles/{page.pk}").json()
    # No "overdue" flag in a kept answer: it would go stale with the date, not with a change.
    assert data["dates"]["next_review"] == "2000-01-01"
    assert "overdue" not in str(data["dates"])


def test_an_article_made_private_is_withdrawn_until_public_again(
    api, make_article, topic, committed
):
    from wagtail.models import PageViewRestriction

    page = make_article()
    other = make_article("Why do my knees click?", publish=False)
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=topic, restriction_type=PageViewRestriction.LOGIN
        )
    assert api.get(f"/api/v1/articles/{page.pk}").status_code == 410
    [entry] = api.get("/api/v1/withdrawn").json()["results"]
    assert (entry["id"], entry["reason"]) == (page.pk, "restricted")
    assert other.pk not in {e["id"] for e in api.get("/api/v1/withdrawn").json()["results"]}
    with committed():
        restriction.delete()
    assert api.get(f"/api/v1/articles/{page.pk}").status_code == 200
    assert api.get("/api/v1/withdrawn").json()["results"] == []
