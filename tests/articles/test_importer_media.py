"""The plain-text format's figures, tables, videos and lead image (articles/importer.py)."""

import pytest
from wagtail.images import get_image_model

from healthpress.articles.importer import InvalidArticle, import_article, parse_article
from tests.image_files import jpeg_with_camera_metadata, metadata_of, png

pytestmark = pytest.mark.django_db
Image = get_image_model()

ARTICLE = """Why do my calves cramp at night?

Mostly tired muscles, and sometimes low minerals.

Lead image: pictures/runner.jpg
Alt: A runner holding the back of her calf

1. Tired muscles

Muscles worked hard in the day cramp more easily at night.

Figure: pictures/calf.png
Alt: The calf muscle, drawn from the side
Caption: The calf muscle tightens
and will not let go.
Credit: Drawing: HealthPress
Licence: CC BY 4.0
Line art: yes

More about the calf after the picture.

Table: Calcium needs by age
| Age | Calcium (mg a day) |
| 1 to 3 years | 700 |
| 4 to 8 years | 1,000 |
Source: Dietary reference intakes, 2024

Video: A calf stretch against a wall
URL: https://youtu.be/dQw4w9WgXcQ
Poster: pictures/calf.png
Duration: 2:15
Transcript: Stand an arm's length from a wall and lean in slowly.

2. Low minerals

Too little magnesium can make cramps more likely.
"""


@pytest.fixture
def folder(tmp_path, media_root):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "runner.jpg").write_bytes(jpeg_with_camera_metadata())
    (tmp_path / "pictures" / "calf.png").write_bytes(png())
    return tmp_path


def test_figures_tables_and_videos_are_imported_in_order(folder, topic):
    page, created = import_article(parse_article(ARTICLE), topic=topic, base_dir=folder)
    page = page.get_latest_revision_as_object()
    assert [block.block_type for block in page.body] == [
        "section",
        "figure",
        "paragraph",
        "table",
        "video",
        "section",
    ]
    figure = page.body[1].value
    assert figure["image"].contextual_alt_text == "The calf muscle, drawn from the side"
    assert figure["caption"] == "The calf muscle tightens and will not let go."
    assert figure["line_art"] and figure["licence"] == "CC BY 4.0"
    table = page.body[3].value["table"]
    assert table.caption == "Calcium needs by age"
    assert [column["block"].name for column in table.columns] == ["text", "number"]
    assert page.body[3].value["source"] == "Dietary reference intakes, 2024"
    video = page.body[4].value
    assert video["provider"] == "youtube" and video["duration"] == "2:15"
    assert "lean in slowly" in video["transcript"].source
    assert page.lead_image_alt == "A runner holding the back of her calf"
    # The runner's GPS position did not come along with the picture.
    assert metadata_of(page.lead_image.file.open("rb").read())["gps"] == {}


def test_a_picture_used_twice_or_imported_again_is_one_image(folder, topic):
    import_article(parse_article(ARTICLE), topic=topic, base_dir=folder)
    assert Image.objects.count() == 2  # the calf drawing is the figure and the poster
    again = ARTICLE.replace("Why do my calves", "Why do my feet")
    import_article(parse_article(again), topic=topic, base_dir=folder)
    assert Image.objects.count() == 2


@pytest.mark.parametrize(
    "change, message",
    [
        (("Alt: The calf muscle, drawn from the side\n", ""), 'has no "Alt:" line'),
        (("| 4 to 8 years | 1,000 |", "| 4 to 8 years |"), "every row needs 2 cells"),
        (("URL: https://youtu.be/dQw4w9WgXcQ", "URL: https://example.org/v"), "not a YouTube"),
        (("Duration: 2:15", "Duration: two minutes"), "m:ss"),
    ],
)
def test_a_broken_media_paragraph_is_refused_with_a_reason(change, message):
    with pytest.raises(InvalidArticle, match=message):
        parse_article(ARTICLE.replace(*change))


def test_a_missing_or_outside_picture_is_refused(folder, topic):
    for path in ("pictures/missing.png", "../secret.png"):
        with pytest.raises(InvalidArticle):
            import_article(
                parse_article(ARTICLE.replace("pictures/runner.jpg", path)),
                topic=topic,
                base_dir=folder,
            )


SELF_HOSTED = ARTICLE.replace(
    "URL: https://youtu.be/dQw4w9WgXcQ",
    "File: videos/stretch.webm\nCaptions: videos/stretch.vtt",
)


def test_a_video_file_and_its_captions_are_stored_once_as_documents(folder, topic):
    from wagtail.documents import get_document_model

    Document = get_document_model()
    (folder / "videos").mkdir()
    (folder / "videos" / "stretch.webm").write_bytes(b"\x1aE\xdf\xa3 not really a video")
    (folder / "videos" / "stretch.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nLean in.\n")

    page, _ = import_article(parse_article(SELF_HOSTED), topic=topic, base_dir=folder)
    video = page.get_latest_revision_as_object().body[4].value

    assert video["provider"] == "file" and not video["url"]
    assert video["file"].file_extension == "webm" and video["captions"].file_extension == "vtt"
    assert video["captions"].file.open("rb").read().startswith(b"WEBVTT")
    again = SELF_HOSTED.replace("Why do my calves", "Why do my feet")
    import_article(parse_article(again), topic=topic, base_dir=folder)
    assert Document.objects.count() == 2


@pytest.mark.parametrize(
    "change, message",
    [
        (("\nCaptions: videos/stretch.vtt", ""), 'has no "Captions:" line'),
        (("stretch.webm", "stretch.mov"), "MP4 or WebM"),
        (("stretch.vtt", "stretch.srt"), "WebVTT"),
        (("File: videos/stretch.webm", "URL: https://youtu.be/dQw4w9WgXcQ\nFile: v.webm"), "one"),
    ],
)
def test_a_broken_self_hosted_video_is_refused_with_a_reason(change, message):
    with pytest.raises(InvalidArticle, match=message):
        parse_article(SELF_HOSTED.replace(*change))
