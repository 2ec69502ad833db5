"""Figures, tables and videos as partners receive them (api/blocks.py, issue 26.7)."""

import pytest

from healthpress.api.blocks import Context, sanitise, serialise
from healthpress.articles.blocks import DataTableBlock, FigureBlock, VideoBlock
from tests.articles.blocks_data import calcium_table, figure, video

pytestmark = pytest.mark.django_db
CONTEXT = Context("https://health.example")


def part_for(block, raw):
    return serialise(block, block.to_python(raw["value"]), CONTEXT)


def test_a_figure_goes_out_as_an_absolute_jpeg_with_alt_caption_and_licence(make_image):
    part = part_for(FigureBlock(), figure(make_image(), alt="The calf, from the side"))
    picture = part.data["image"]
    assert picture["url"].startswith("https://health.example/media/images/")
    assert picture["url"].endswith(".jpg") and picture["alt"] == "The calf, from the side"
    assert picture["width"] > 0 and picture["height"] > 0
    assert part.data["licence"] == "CC BY 4.0" and part.data["credit"] == "Drawing: HealthPress"
    assert 'alt="The calf, from the side"' in part.html and "<figcaption>" in part.html
    assert sanitise(part.html, CONTEXT.root_url) == part.html, "only allowed tags and attributes"


def test_a_table_keeps_its_caption_headings_and_rows():
    part = part_for(DataTableBlock(), calcium_table())
    assert part.data["caption"] == "Calcium needs by age"
    assert [c["type"] for c in part.data["columns"]] == ["text", "number"]
    assert part.data["rows"][1] == ["4 to 8 years", "1,000"]
    assert '<th scope="row">4 to 8 years</th>' in part.html and "<caption>" in part.html
    assert sanitise(part.html, CONTEXT.root_url) == part.html
    assert "Calcium needs by age" in part.text


def test_a_video_is_a_link_and_a_transcript_never_an_embed(make_image):
    part = part_for(VideoBlock(), video(make_image()))
    assert part.data["player_url"].startswith("https://www.youtube-nocookie.com/embed/")
    assert part.data["duration"] == "2:15"
    assert "lean in slowly" in part.data["transcript"]["text"]
    assert part.data["poster"]["url"].startswith("https://health.example/media/images/")
    assert "<iframe" not in part.html and "https://www.youtube.com/watch?v=" in part.html
    assert "<details><summary>Transcript</summary>" in part.html
