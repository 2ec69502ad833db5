"""The demo's three articles with pictures, a table and a video: axe finds nothing at 1280 and
375 px, no picture shifts the layout, and the table scrolls in its own region (issue 26)."""

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
RICH_DEMO = [
    "Is cramping caused by excessive calcium or insufficient calcium?",
    "Why does my lower back hurt after sitting all day?",
    "How much water do I really need each day?",
]
# The article's video, once its file's metadata and caption cues have loaded.
VIDEO_LOADED = """() => new Promise(done => {
  const video = document.querySelector("video.video__file");
  const track = video.textTracks[0];
  track.mode = "hidden";  // cues load for a showing or hidden track
  video.preload = "metadata";
  video.load();
  const report = () => done({duration: Math.round(video.duration), tracks: video.textTracks.length,
                             cues: track.cues ? track.cues.length : 0});
  const ready = () => video.readyState >= 1 && track.cues && track.cues.length;
  const poll = setInterval(() => { if (ready()) { clearInterval(poll); report(); } }, 100);
  setTimeout(() => { clearInterval(poll); report(); }, 10000);
})"""
# Layout shifts as the page loads, summed (the Layout Instability API, as Lighthouse reads it).
CLS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 500);
})"""


def test_rich_demo_articles_pass_axe_without_layout_shift(site, chromium, assert_accessible):
    from healthpress.articles.models import ArticlePage

    context = chromium.new_context()
    page = context.new_page()
    for title in RICH_DEMO:
        article = ArticlePage.objects.live().get(title=title)
        assert article.lead_image_id and any(b.block_type == "figure" for b in article.body)
        for width, height in ((1280, 900), (375, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(site["base"] + article.url)
            page.wait_for_load_state("networkidle")
            assert_accessible(page)
            assert page.evaluate(CLS) == 0, f"layout shift on {title} at {width}px"
            lead = page.locator(".article__lead img")
            assert lead.get_attribute("fetchpriority") == "high"
            # A phone is sent a picture near its width, not the 1200 px one.
            if width == 375:
                chosen = lead.evaluate("img => img.currentSrc")
                assert "1200x675" not in chosen, chosen
    # The table fits a phone by scrolling inside its region, which the keyboard can reach.
    cramps = ArticlePage.objects.live().get(title=RICH_DEMO[0])
    page.goto(site["base"] + cramps.url)
    region = page.get_by_role("region", name="How much calcium people need each day, by age")
    region.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('data-table__scroll')")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    # The back-pain article's video is a file of ours (demo/video.py) with its caption track:
    # once asked to load (preload="none" until then), its 24 seconds and 4 cues are there.
    back = ArticlePage.objects.live().get(title=RICH_DEMO[1])
    page.goto(site["base"] + back.url)
    played = page.evaluate(VIDEO_LOADED)
    assert played == {"duration": 24, "tracks": 1, "cues": 4}, played
    context.close()
