"""Tables are real, labelled tables; videos load nothing from another host until play and allow
the player's host only on their own page (issue 26.2-3)."""

import re

import pytest
from django.core.exceptions import ValidationError

from healthpress.articles.blocks import DataTableBlock, VideoBlock
from healthpress.articles.video import parse_video_url
from tests.articles.blocks_data import calcium_table, video

pytestmark = pytest.mark.django_db
OTHER_HOST = re.compile(r'(?:src|srcset|poster|data)="(?:https?:)?//', re.I)


def test_a_table_has_a_caption_scopes_and_a_labelled_scroll_region(client, make_article):
    article = make_article(more_blocks=[calcium_table()])
    html = client.get(article.url).content.decode()
    region = re.search(r'<div class="data-table__scroll"[^>]*>', html).group(0)
    assert 'role="region"' in region and 'tabindex="0"' in region
    label = re.search(r'aria-labelledby="([^"]+)"', region).group(1)
    assert f'<caption id="{label}">Calcium needs by age</caption>' in html
    assert html.count('scope="col"') == 2
    assert '<th scope="row">4 to 8 years</th>' in html
    assert '<td class="num">1,000</td>' in html
    assert 'Source: <a href="https://example.org/calcium">Dietary reference intakes' in html


def test_a_table_without_a_caption_or_with_a_wordy_number_is_refused():
    block = DataTableBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python(calcium_table(caption="")["value"]))
    raw = calcium_table()["value"]
    raw["table"]["rows"][0]["values"][1] = "about seven hundred"
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw))


def test_a_table_without_a_header_column_uses_data_cells(client, make_article):
    article = make_article(more_blocks=[calcium_table(header_column=False)])
    html = client.get(article.url).content.decode()
    assert 'scope="row"' not in html and "<td>4 to 8 years</td>" in html


@pytest.mark.parametrize(
    "url, provider, video_id",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10", "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871"),
    ],
)
def test_video_addresses_as_people_paste_them(url, provider, video_id):
    link = parse_video_url(url)
    assert (link.provider, link.video_id) == (provider, video_id)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "https://evil.example/watch?v=dQw4w9WgXcQ", "https://youtu.be/short"],
)
def test_other_addresses_are_not_videos(url):
    assert parse_video_url(url) is None


def test_a_video_block_needs_a_matching_address(make_image):
    block = VideoBlock()
    raw = video(make_image(), url="https://vimeo.com/76979871", provider="youtube")["value"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw))


def test_a_video_page_references_no_other_host_until_play(client, make_article, make_image):
    article = make_article(more_blocks=[video(make_image("Poster", 640, 360))])
    response = client.get(article.url)
    html = response.content.decode()
    assert not OTHER_HOST.search(html), OTHER_HOST.search(html)
    assert "<iframe" not in html
    play = re.search(r'<a class="video__play"[^>]*>', html).group(0)
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in play
    assert 'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1' in play
    assert re.search(r"<details class=\"video__transcript\">\s*<summary>Transcript", html)
    assert "lean in slowly" in html and "2:15" in html
    assert '<script src="/static/js/video.js" defer></script>' in html
    csp = response.headers["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in csp


def test_pages_without_a_video_frame_nothing(client, make_article):
    response = client.get(make_article().url)
    assert "youtube" not in response.headers["Content-Security-Policy"]
    assert "frame-src" not in response.headers["Content-Security-Policy"]
    assert "video.js" not in response.content.decode()


def test_a_self_hosted_video_has_captions_and_loads_nothing_before_play(
    client, make_article, make_image
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    clip = Document.objects.create(title="Stretch", file=ContentFile(b"\0" * 64, "stretch.mp4"))
    captions = Document.objects.create(
        title="Captions",
        file=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\nLean in.\n", "s.vtt"),
    )
    raw = video(make_image("Poster", 640, 360), url="", provider="file")
    raw["value"].update(file=clip.pk, captions=captions.pk)
    VideoBlock().clean(VideoBlock().to_python(raw["value"]))
    response = client.get(make_article(more_blocks=[raw]).url)
    html = response.content.decode()
    player = re.search(r"<video [^>]*>.*?</video>", html, re.S).group(0)
    assert 'preload="none"' in player and re.search(r'poster="/media/images/[^"]+\.jpg"', player)
    assert f'<source src="{clip.url}" type="video/mp4">' in player
    assert f'<track kind="captions" src="{captions.url}"' in player
    assert not OTHER_HOST.search(html) and "data-player" not in html
    assert "frame-src" not in response.headers["Content-Security-Policy"]


def test_a_self_hosted_video_needs_its_captions(make_image):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    clip = Document.objects.create(title="Stretch", file=ContentFile(b"\0" * 64, "stretch.mp4"))
    raw = video(make_image("Poster", 640, 360), url="", provider="file")["value"]
    raw.update(file=clip.pk, captions=None)
    with pytest.raises(ValidationError):
        VideoBlock().clean(VideoBlock().to_python(raw))
