"""Moving a WordPress site across (docs/migrating.md): the mapping per rule, old addresses, a
second run, a dry run, and files that must leave the database as it was."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from healthpress.articles.models import ArticlePage
from healthpress.articles.review import review_status, reviews_due
from healthpress.comments.models import Comment, Status
from healthpress.core.models import TopicPage
from healthpress.newsletter.editions import new_articles
from healthpress.people.models import Person
from healthpress.wordpress.importer import PLACEHOLDER_TITLE, Options, import_export
from healthpress.wordpress.models import ImportedRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress"
CLINIC = FIXTURES / "clinic.xml"
CRAMPS = "Why do my calves cramp at night?"


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2019" / "04").mkdir(parents=True)
    PILImage.new("RGB", (64, 48), (180, 90, 90)).save(folder / "2019" / "04" / "calf.jpg")
    return folder


@pytest.fixture
def leaflet(uploads):
    (uploads / "2020" / "01").mkdir(parents=True)
    (uploads / "2020" / "01" / "eczema-leaflet.pdf").write_bytes(b"%PDF-1.4 a small leaflet")
    return uploads


@pytest.fixture
def imported(home, uploads, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return import_export(CLINIC, Options(uploads=uploads, publish_live=True))


def article(question=CRAMPS):
    return ArticlePage.objects.get(title=question)


def test_a_published_post_becomes_a_live_article_not_claiming_a_review(imported):
    page = article()
    assert page.live
    assert page.short_answer == "Mostly tired muscles; a few medicines too."
    assert page.first_published_at.isoformat().startswith("2019-04-02T09:15")
    assert page.reviewer is None and page.last_reviewed is None
    assert page.seo_title == "Night calf cramps: causes | Riverside"
    assert page.search_description == "Why calves cramp at night and what helps."
    assert [t.name for t in page.tags.all()] == ["cramp"]
    assert page.author.name == "Priya Nair"
    assert page.get_parent().specific.title == "Sports injuries"


def test_a_live_import_says_it_was_not_medically_reviewed_on_its_page_and_in_reviews_due(
    imported, client
):
    page = article()
    html = client.get(page.url).content.decode()
    assert "This article has not yet been medically reviewed." in html
    assert review_status(page, timezone.localdate()) == "never"
    assert page in reviews_due()


def test_h2_sections_become_numbered_sections_and_markup_is_cleaned(imported):
    blocks = [(b.block_type, b.value) for b in article().body]
    types = [t for t, _v in blocks]
    assert types[:3] == ["paragraph", "section", "section"]
    tired, medicines = blocks[1][1], blocks[2][1]
    assert tired["heading"] == "Tired muscles"
    html = tired["explanation"].source
    assert (
        '<a href="https://www.nhs.uk/conditions/leg-cramps/">' in html
        and "<li>Stretch before bed.</li>" in html
    )
    assert "<b>usually harmless</b>" in blocks[0][1].source
    assert (
        "script" not in medicines["explanation"].source
        and "alert" not in medicines["explanation"].source
    )


def test_figures_tables_and_the_featured_image_become_the_articles_own(imported):
    page = article()
    blocks = {b.block_type: b.value for b in page.body}
    figure = blocks["figure"]
    assert figure["image"].title == "calf.jpg"
    assert figure["image"].contextual_alt_text == "The calf muscle"
    assert figure["caption"] == "The calf muscle, from behind"
    table = blocks["table"]["table"]
    assert table.caption == "Daily calcium"
    assert [c["heading"] for c in table.columns] == ["Age", "Calcium a day"]
    assert [c["block"].name for c in table.columns] == ["text", "number"]
    assert page.lead_image.title == "calf.jpg"
    assert page.lead_image_alt == "The calf muscle seen from behind"


def test_a_figure_whose_picture_is_missing_keeps_a_placeholder(imported):
    [figure] = [b.value for b in article("Is eczema contagious?").body if b.block_type == "figure"]
    assert figure["image"].title == "Picture missing from the WordPress import"
    assert figure["image"].contextual_alt_text == "Dry skin on a hand"
    assert imported.counts["attachment"]["placeholders in articles"] == 1


def test_a_video_without_poster_or_transcript_stays_a_link_and_is_reported(imported):
    html = "".join(str(b.value) for b in article().body if b.block_type == "paragraph")
    assert '<a href="https://www.youtube.com/watch?v=abc123XYZ_0">' in html
    messages = [w[3] for w in imported.warnings if w[1] == CRAMPS]
    assert any("became a link" in m for m in messages)


def test_what_has_no_equivalent_is_reported_never_dropped_silently(imported):
    messages = [w[3] for w in imported.warnings if w[1] == CRAMPS]
    assert any("shortcode [calculator]" in m for m in messages)


def test_statuses_other_than_published_arrive_as_drafts(imported):
    for question in ("Can I run with shin splints?", "What helps a sprained ankle heal?"):
        page = article(question)
        assert not page.live and page.has_unpublished_changes


def test_without_publish_live_nothing_goes_live(home, uploads):
    import_export(CLINIC, Options(uploads=uploads))
    assert not ArticlePage.objects.filter(live=True).exists()
    assert ArticlePage.objects.count() == 4


def test_categories_become_topics_flattened_and_authors_people(imported):
    titles = set(TopicPage.objects.values_list("title", flat=True))
    assert {"Muscles & joints", "Sports injuries", "Skin"} <= titles
    assert Person.objects.filter(name="Tom Okafor").exists() is False  # display name "tom" wins
    assert Person.objects.filter(name="tom").exists()


def test_an_author_is_matched_to_an_existing_person_by_name(home, uploads):
    existing = Person.objects.create(name="Priya Nair", job_title="Nurse")
    import_export(CLINIC, Options(uploads=uploads))
    assert article().author == existing
    assert Person.objects.filter(name="Priya Nair").count() == 1


def test_comments_keep_dates_statuses_and_thread_one_level_deep(imported):
    comments = {c.name: c for c in Comment.objects.filter(article=article())}
    assert set(comments) == {
        "Ana",
        "Ben",
        "Cy",
        "Cheap pills",
    }  # trash and the pingback stay behind
    assert comments["Ana"].status == Status.APPROVED and comments["Ana"].parent is None
    assert comments["Ben"].parent == comments["Ana"]
    assert comments["Cy"].parent == comments["Ana"]  # a reply to a reply, under the top level
    assert comments["Cy"].status == Status.PENDING
    assert comments["Cheap pills"].status == Status.SPAM
    assert "<" not in comments["Cy"].body and "alert" not in comments["Cy"].body
    assert comments["Ana"].body == "Stretching helped me a lot."
    assert comments["Ana"].created_at.isoformat().startswith("2019-04-03T07:00")
    assert comments["Ana"].ip_network == "203.0.113.0"
    assert comments["Ben"].ip_network == "2001:db8:4::"
    assert imported.counts["comment"]["pingbacks skipped"] == 1


def test_the_featured_image_and_a_missing_upload(imported):
    image = get_image_model().objects.exclude(title=PLACEHOLDER_TITLE).get()
    assert image.title == "calf.jpg"
    missing = [w for w in imported.warnings if w[0] == "attachment"]
    assert any("missing.png" in w[2] for w in missing)
    assert (
        imported.counts["attachment"]["missing file"] == 2
    )  # the picture and the leaflet, neither in this uploads folder


def test_a_pdf_becomes_a_document_and_links_to_it_follow(home, leaflet, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    import_export(CLINIC, Options(uploads=leaflet, publish_live=True))
    document = get_document_model().objects.get()
    assert document.title == "Eczema leaflet"
    html = "".join(str(block.value) for block in article("Is eczema contagious?").body)
    assert f'<a href="{document.url}">eczema leaflet</a>' in html
    assert "wp-content" not in html
    import_export(CLINIC, Options(uploads=leaflet, publish_live=True))
    assert get_document_model().objects.count() == 1


def test_pages_and_unknown_types_are_reported(imported):
    assert imported.counts["page"]["reported"] == 1
    assert imported.counts["nav_menu_item"]["skipped"] == 1


@pytest.mark.parametrize(
    "old",
    [
        "/2019/04/why-do-my-calves-cramp-at-night/",
        "/2019/04/02/why-do-my-calves-cramp-at-night/",
        "/why-do-my-calves-cramp-at-night/",
        "/?p=101",
    ],
)
def test_every_old_address_of_a_post_answers_301_to_its_article(imported, client, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article().url


@pytest.mark.parametrize(
    ("old", "target"),
    [
        (
            "/category/muscles-joints/sports-injuries/",
            lambda: TopicPage.objects.get(title="Sports injuries").url,
        ),
        ("/category/skin/", lambda: TopicPage.objects.get(title="Skin").url),
        ("/author/pnair/", lambda: Person.objects.get(name="Priya Nair").get_absolute_url()),
        ("/feed/", lambda: "/feeds/rss/"),
    ],
)
def test_category_author_and_feed_addresses_redirect(imported, client, old, target):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == target()


def test_the_home_page_itself_still_answers_200(imported, client):
    assert client.get("/").status_code == 200
    assert client.get("/?p=999999").status_code == 200  # no such post: the home page as it is


def test_a_second_run_creates_nothing_twice(imported, uploads):
    before = (
        ArticlePage.objects.count(),
        Comment.objects.count(),
        Redirect.objects.count(),
        get_image_model().objects.count(),
        Person.objects.count(),
        TopicPage.objects.count(),
        ImportedRecord.objects.count(),
    )
    again = import_export(CLINIC, Options(uploads=uploads, publish_live=True))
    after = (
        ArticlePage.objects.count(),
        Comment.objects.count(),
        Redirect.objects.count(),
        get_image_model().objects.count(),
        Person.objects.count(),
        TopicPage.objects.count(),
        ImportedRecord.objects.count(),
    )
    assert after == before
    assert again.counts["post"]["unchanged"] == 4
    assert "created" not in again.counts["post"]


def test_a_changed_post_is_updated_on_the_second_run(imported, uploads, tmp_path):
    changed = tmp_path / "changed.xml"
    changed.write_text(
        CLINIC.read_text()
        .replace(
            "2020-01-10 10:00:00]]></wp:post_modified_gmt>",
            "2022-02-02 10:00:00]]></wp:post_modified_gmt>",
        )
        .replace("cannot be caught from someone else", "is never caught from anyone")
    )
    again = import_export(changed, Options(uploads=uploads, publish_live=True))
    assert again.counts["post"]["updated"] == 1
    page = article("Is eczema contagious?")
    assert page.short_answer == "No. Eczema is not an infection, so it is never caught from anyone."
    assert ArticlePage.objects.filter(title="Is eczema contagious?").count() == 1


def test_a_dry_run_writes_nothing_and_reports_the_same(home, uploads, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tables = (ArticlePage, Comment, Redirect, Person, TopicPage, ImportedRecord)
    before = [m.objects.count() for m in tables]
    report = import_export(CLINIC, Options(uploads=uploads, dry_run=True, publish_live=True))
    assert [m.objects.count() for m in tables] == before
    assert report.counts["post"]["created"] == 4
    assert not (tmp_path / "media").exists()


def test_a_truncated_file_fails_cleanly_with_the_database_unchanged(home, uploads, tmp_path):
    cut = tmp_path / "cut.xml"
    cut.write_text("".join(CLINIC.read_text().splitlines(keepends=True)[:150]))
    with pytest.raises(
        CommandError, match=r"cut.xml: line 1\d\d: not well-formed XML.*Nothing was imported"
    ):
        call_command("import_wordpress", str(cut), "--uploads", str(uploads))
    assert not ArticlePage.objects.exists() and not ImportedRecord.objects.exists()


def test_the_command_prints_the_report_and_saves_it_as_csv(home, uploads, tmp_path, capsys):
    csv_path = tmp_path / "report.csv"
    call_command(
        "import_wordpress", str(CLINIC), "--uploads", str(uploads), "--report", str(csv_path)
    )
    out = capsys.readouterr().out
    assert "posts:" in out and "4 created" in out
    assert "shortcode [calculator]" in out
    text = csv_path.read_text()
    assert "post,created,4" in text and "calculator" in text


def test_an_uploads_path_outside_the_folder_is_never_read(home, tmp_path):
    secret = tmp_path / "secret.jpg"
    PILImage.new("RGB", (8, 8)).save(secret)
    folder = tmp_path / "uploads"
    folder.mkdir()
    export = tmp_path / "escape.xml"
    export.write_text(
        CLINIC.read_text().replace(
            "2019/04/calf.jpg]]></wp:meta_value>", "../secret.jpg]]></wp:meta_value>"
        )
    )
    report = import_export(export, Options(uploads=folder))
    assert not get_image_model().objects.exclude(title=PLACEHOLDER_TITLE).exists()
    assert report.counts["attachment"]["missing file"] == 3


def test_imported_articles_are_never_mailed_as_new(imported):
    """The newsletter mails what was first published since its last edition: imported articles
    carry WordPress's dates."""
    now = timezone.now()
    assert ArticlePage.objects.filter(live=True).count() == 2
    assert new_articles(now - timedelta(days=365), now) == []


def test_posts_waiting_for_their_batch_stay_bounded_across_topics(home, uploads, monkeypatch):
    """New posts wait to be written a topic's batch at a time; however many topics they are
    spread over, no more than MAX_HELD wait (the memory budget), and every post still arrives."""
    from healthpress.wordpress import importer

    monkeypatch.setattr(importer, "MAX_HELD", 2)
    held = []
    flush = importer._Import.flush

    def watched(job, everything=False):
        flush(job, everything)
        held.append(sum(map(len, job.pending.values())))

    monkeypatch.setattr(importer._Import, "flush", watched)
    report = import_export(CLINIC, Options(uploads=uploads, publish_live=True))
    assert max(held) < 2
    assert report.counts["post"]["created"] == 4
    assert Comment.objects.filter(article=article(), parent__isnull=False).count() == 2
