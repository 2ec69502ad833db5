"""Pictures in articles: alt text, responsive AVIF/WebP/JPEG renditions made before readers ask,
prefetched, and shared with absolute JPEG addresses (issue 26.1)."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model

from healthpress.articles.blocks import FigureBlock
from healthpress.articles.renditions import LEAD, pictures_of
from tests.articles.blocks_data import figure
from tests.articles.helpers import json_ld

pytestmark = pytest.mark.django_db
Rendition = get_image_model().get_rendition_model()


def figure_value(image, alt="", decorative=False):
    block = FigureBlock()
    raw = figure(image, alt=alt, decorative=decorative)["value"]
    return block, block.to_python(raw)


def test_a_figure_needs_alt_text_unless_it_is_marked_decorative(make_image):
    image = make_image()
    block, value = figure_value(image, alt="")
    with pytest.raises(ValidationError):
        block.clean(value)
    block, value = figure_value(image, alt="", decorative=True)
    block.clean(value)
    assert 'alt=""' in block.render(value)
    block, value = figure_value(image, alt="The calf, from the side")
    block.clean(value)
    assert 'alt="The calf, from the side"' in block.render(value)


def test_a_lead_image_needs_alt_text(make_article, make_image):
    article = make_article()
    article.lead_image = make_image()
    article.lead_image.description = ""
    article.lead_image_alt = ""
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "lead_image_alt" in error.value.message_dict


def published_with_pictures(make_article, make_image, figures=1):
    lead = make_image("Lead picture", 640, 400)
    images = [make_image(f"Figure {n}", 520, 320) for n in range(figures)]
    return make_article(
        more_blocks=[
            figure(image, alt=f"Figure {n} shows a calf") for n, image in enumerate(images)
        ],
        lead_image=lead,
        lead_image_alt="A runner holding her calf",
    )


def test_a_rendered_figure_has_size_srcset_and_modern_formats(client, make_article, make_image):
    article = published_with_pictures(make_article, make_image)
    html = client.get(article.url).content.decode()

    figure_html = re.search(r'<figure class="figure">.*?</figure>', html, re.S).group(0)
    assert re.search(r'<source [^>]*type="image/avif"', figure_html) and 'srcset="' in figure_html
    assert re.search(r'<source [^>]*type="image/webp"', figure_html)
    img = re.search(r"<img [^>]*>", figure_html).group(0)
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert 'loading="lazy"' in img and 'sizes="' in img and ".jpg" in img
    assert 'alt="Figure 0 shows a calf"' in img
    assert "The calf muscle tightens during a cramp." in figure_html
    assert "Drawing: HealthPress" in figure_html and 'rel="license"' in figure_html

    lead = re.search(r'<div class="article__lead">.*?</div>', html, re.S).group(0)
    lead_img = re.search(r"<img [^>]*>", lead).group(0)
    assert 'fetchpriority="high"' in lead_img and 'loading="lazy"' not in lead_img
    assert 'alt="A runner holding her calf"' in lead_img
    assert re.search(r'width="\d+"', lead_img) and re.search(r'height="\d+"', lead_img)


def test_renditions_exist_before_a_reader_asks_and_are_not_queried_per_image(
    client, make_article, make_image
):
    one = published_with_pictures(make_article, make_image, figures=1)
    three = make_article(
        "Why do my feet cramp?",
        more_blocks=[figure(make_image(f"F{n}", 500, 300)) for n in range(3)],
        lead_image=make_image("L", 600, 400),
        lead_image_alt="Feet",
    )
    made = Rendition.objects.count()
    assert made > 0, "the publish made the renditions"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(one.url)  # site-wide values are kept after the first render (pagecache/memo.py)
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(one.url).status_code == 200
    with CaptureQueriesContext(connection) as with_three:
        assert client.get(three.url).status_code == 200
    assert Rendition.objects.count() == made, "a reader's request made no rendition"
    # Two more pictures cost no more queries: renditions are prefetched in one go, the lead
    # images with them; the body's images come in Wagtail's one query for the StreamField.
    assert len(with_three) == len(with_one)
    assert len(with_three) <= 13  # 11 without pictures (tests/core/test_views.py)


def test_a_draft_save_queues_the_renditions(
    make_article, make_image, django_capture_on_commit_callbacks
):
    image = make_image("Draft picture", 500, 300)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_article(publish=False, more_blocks=[figure(image)])
    assert not page.live
    [(shown, wanted)] = pictures_of(page.get_latest_revision_as_object())
    assert shown.pk == image.pk
    specs = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert set(wanted) <= specs


def test_json_ld_and_link_previews_carry_absolute_jpeg_addresses(client, make_article, make_image):
    article = published_with_pictures(make_article, make_image)
    html = client.get(article.url).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og.startswith("http://localhost/media/images/") and og.endswith(".jpg")
    assert '<meta property="og:image:alt" content="A runner holding her calf">' in html
    assert re.search(r'<meta name="twitter:image" content="http://localhost/[^"]+\.jpg"', html)
    images = json_ld(html)["image"]
    assert images[0]["url"] == og and images[0]["description"] == "A runner holding her calf"
    figure_data = images[1]
    assert figure_data["contentUrl"].startswith("http://localhost/media/images/")
    assert figure_data["caption"] == "The calf muscle tightens during a cramp."
    assert figure_data["creditText"] == "Drawing: HealthPress"
    assert figure_data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert all(isinstance(item["width"], int) for item in images)


def test_cards_show_the_lead_image(client, make_article, make_image, topic):
    published_with_pictures(make_article, make_image)
    html = client.get(topic.url).content.decode()
    card = re.search(r'<article class="card">.*?</article>', html, re.S).group(0)
    assert re.search(r'<source [^>]*type="image/avif"', card) and 'loading="lazy"' in card


def test_lead_spec_list_matches_what_the_page_asks_for(client, make_article, make_image):
    # The page asks Wagtail for exactly the lead renditions renditions.py makes.
    article = published_with_pictures(make_article, make_image, figures=0)
    Rendition.objects.all().delete()
    client.get(article.url)
    made = set(
        Rendition.objects.filter(image=article.lead_image).values_list("filter_spec", flat=True)
    )
    from wagtail.images.models import Filter

    assert set(Filter.expand_spec(LEAD)) <= made


def test_feeds_carry_the_lead_image_as_a_jpeg_enclosure(client, make_article, make_image):
    import feedparser

    published_with_pictures(make_article, make_image)
    for url in ("/feeds/rss/", "/feeds/atom/"):
        feed = feedparser.parse(client.get(url).content)
        [enclosure] = feed.entries[0].enclosures
        assert enclosure["type"] == "image/jpeg"
        assert enclosure["href"].startswith("http://localhost/media/images/")
        assert int(enclosure["length"]) > 0


def test_the_sitemap_lists_the_lead_image_at_an_absolute_address(client, make_article, make_image):
    article = published_with_pictures(make_article, make_image)
    from tests.sitemap_files import all_files_xml

    xml = all_files_xml(client)
    entry = re.search(rf"<url><loc>[^<]*{article.slug}/</loc>.*?</url>", xml, re.S).group(0)
    assert re.search(r"<image:image><image:loc>http://localhost/media/images/[^<]+\.jpg<", entry)
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in xml
