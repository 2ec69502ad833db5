"""/sitemap.xml: an index of files of at most SITEMAP_LIMIT addresses (healthpress/sitemaps.py)."""

import re

import pytest

from tests.at_size import add_articles, queries
from tests.sitemap_files import all_files_xml, file_urls, locs

pytestmark = pytest.mark.django_db


def test_the_index_splits_the_pages_into_files_of_at_most_the_limit(
    client, settings, topic, author
):
    settings.SITEMAP_LIMIT = 5
    add_articles(topic, 12, author=author)
    files = file_urls(client)
    # home, topic and 12 articles: 14 pages in 3 files; one author in 1.
    assert files == [
        "/sitemap-pages.xml",
        "/sitemap-pages.xml?p=2",
        "/sitemap-pages.xml?p=3",
        "/sitemap-authors.xml",
    ]
    counts = [len(locs(client.get(url).content.decode())) for url in files]
    assert counts == [5, 5, 4, 1]
    listed = locs(all_files_xml(client))
    assert len(listed) == len(set(listed)) == 15


def test_the_index_gives_each_file_a_lastmod(client, topic, author):
    add_articles(topic, 2, author=author)
    index = client.get("/sitemap.xml").content.decode()
    assert len(re.findall(r"<sitemap>\s*<loc>[^<]+</loc>\s*<lastmod>", index)) == 2


def test_a_page_past_the_last_is_not_found(client, settings, topic):
    settings.SITEMAP_LIMIT = 5
    add_articles(topic, 2)
    assert client.get("/sitemap-pages.xml?p=2").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-authors.xml"])
def test_each_sitemap_file_costs_the_same_queries_for_10_and_200_articles(
    client, settings, topic, author, url
):
    settings.SITEMAP_LIMIT = 300
    add_articles(topic, 10, author=author)
    few, response = queries(client, url)
    add_articles(topic, 190, start=10, author=author)
    many, response = queries(client, url)
    assert many == few
    if url == "/sitemap-pages.xml":
        assert len(locs(response.content.decode())) == 202


def test_the_entries_built_from_rows_are_those_wagtails_page_objects_give(
    client, make_article, make_image, author
):
    """Each entry is made from a row, not from the page (healthpress/sitemaps.py): its address,
    lastmod and image are the ones the page itself gives (ArticlePage.get_sitemap_urls)."""
    import datetime

    from django.test import RequestFactory
    from wagtail.models import Site

    from healthpress.articles.review import set_review

    pictured = make_article(
        "With a lead picture?", lead_image=make_image("Lead", 640, 400), lead_image_alt="A calf"
    )
    later = datetime.date.today() + datetime.timedelta(days=3)  # a review after the publish
    plain = make_article("Reviewed later?")
    set_review(plain, author, later)
    plain.save(update_fields=["reviewer", "last_reviewed", "next_review_due"])
    xml = all_files_xml(client)
    request = RequestFactory().get("/sitemap-pages.xml")
    site_pages = Site.objects.get(is_default_site=True).root_page.get_descendants(inclusive=True)
    for page in site_pages.live().specific():
        [expected] = page.get_sitemap_urls(request)
        entry = re.search(rf"<url><loc>{re.escape(expected['location'])}</loc>.*?</url>", xml)
        assert entry, expected["location"]
        if expected["lastmod"] is None:  # a page made without a revision (the home page here)
            assert "<lastmod>" not in entry.group(0)
        else:
            assert f"<lastmod>{expected['lastmod']:%Y-%m-%d}</lastmod>" in entry.group(0)
        for image in expected.get("images", []):
            assert f"<image:loc>{image}</image:loc>" in entry.group(0)
    assert f"<lastmod>{later:%Y-%m-%d}</lastmod>" in xml
    assert xml.count("<image:image>") == 1 and pictured.lead_image_id


def test_a_sitemap_file_costs_the_same_queries_with_2_and_12_lead_images(
    client, settings, make_article, make_image
):
    def articles_with_pictures(start, count):
        for n in range(start, start + count):
            make_article(
                f"Picture number {n}?",
                lead_image=make_image(f"Lead {n}", 64, 40),
                lead_image_alt="A calf",
            )

    articles_with_pictures(0, 2)
    few, _ = queries(client, "/sitemap-pages.xml")
    articles_with_pictures(2, 10)
    many, response = queries(client, "/sitemap-pages.xml")
    assert many == few
    assert response.content.decode().count("<image:image>") == 12


def test_the_index_lastmod_of_the_pages_is_their_newest_publish_or_live_review(
    client, make_article, author
):
    """healthpress/sitemaps.py's get_latest_lastmod: the newest publish of the site's live
    pages, or a live article's review when it is newer; a draft's review is not a change."""
    import datetime

    from healthpress.articles.review import set_review

    def pages_lastmod():
        index = client.get("/sitemap.xml").content.decode()
        entry = re.search(r"<loc>[^<]*sitemap-pages\.xml</loc>\s*<lastmod>([^<]+)<", index)
        return entry.group(1)[:10]

    reviewed = make_article("Reviewed soon?")
    draft = make_article("Never published?", publish=False)
    today = datetime.date.today()
    assert pages_lastmod() == f"{reviewed.last_published_at:%Y-%m-%d}"
    set_review(draft, author, today + datetime.timedelta(days=9))
    draft.save(update_fields=["reviewer", "last_reviewed", "next_review_due"])
    assert pages_lastmod() == f"{reviewed.last_published_at:%Y-%m-%d}"
    later = today + datetime.timedelta(days=3)
    set_review(reviewed, author, later)
    reviewed.save(update_fields=["reviewer", "last_reviewed", "next_review_due"])
    assert pages_lastmod() == f"{later:%Y-%m-%d}"


def test_the_authors_file_lists_only_authors_of_public_articles(client, make_article, author):
    """The same rule as the authors' index (people/views.py): an author whose only live
    articles are restricted has no entry, and a restricted article gives no lastmod."""
    from wagtail.models import PageViewRestriction

    private = make_article("Only for signed-in staff?")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert author.get_absolute_url() not in client.get("/sitemap-authors.xml").content.decode()
    make_article("Open to every reader?")
    assert author.get_absolute_url() in client.get("/sitemap-authors.xml").content.decode()
