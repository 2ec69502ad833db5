"""A page with a video asks nothing of another host until the reader presses play; then the
player comes from youtube-nocookie.com, allowed by the page's own policy (issue 26.3).

Every request the browser makes is recorded; any to another host is answered here by a stand-in
player, so no test reaches the internet. The page's Content-Security-Policy is enforced (no
bypass), so the first-party script and the player's frame must pass it as in production.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.articles.blocks_data import video

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
# The hidden title is a positioned span: Chromium puts a space before it in the link's name.
PLAY = re.compile(r"^Play video\s*: A calf stretch against a wall \(2:15\)")


@pytest.fixture
def video_article(site, make_article, make_image):
    return make_article("How do I stretch my calf?", more_blocks=[video(make_image("Poster"))])


def test_nothing_loads_from_another_host_until_play(site, chromium, video_article):
    context = chromium.new_context(viewport={"width": 375, "height": 800})
    ours = urlsplit(site["base"]).netloc
    foreign = []

    def answer(route):
        url = route.request.url
        if urlsplit(url).netloc == ours:
            route.continue_()
        else:
            foreign.append(url)
            route.fulfill(status=200, content_type="text/html", body="<p>stand-in player</p>")

    context.route("**/*", answer)
    page = context.new_page()
    page.goto(site["base"] + video_article.url)
    page.wait_for_load_state("networkidle")
    page.locator("details.video__transcript summary").click()
    assert page.locator("details.video__transcript").get_attribute("open") is not None
    assert foreign == [], "nothing from another host before play"

    play = page.get_by_role("link", name=PLAY)
    # The player's request itself, not "network idle", which a loaded machine may never reach.
    with page.expect_request(lambda request: urlsplit(request.url).netloc != ours):
        play.click()
    frame = page.locator("iframe.video__player")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert {urlsplit(url).netloc for url in foreign} == {"www.youtube-nocookie.com"}
    assert page.url == site["base"] + video_article.url, "the player replaced the poster in place"
    context.close()


def test_without_javascript_play_is_a_link_to_the_provider(site, chromium, video_article):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["base"] + video_article.url)
    play = page.get_by_role("link", name=PLAY)
    assert play.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    context.close()
