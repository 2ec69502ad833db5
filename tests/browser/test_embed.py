"""The embed page in Chromium: accessible (axe-core), framed by an allowed partner's page and
refused by any other, and asking nothing of any host but ours.

The partners' pages come from two small servers of the test's own on loopback ports (Chromium
lets only a local page frame a local one), the embed from the live server. The browser context
keeps Content-Security-Policy on (unlike conftest.browser_page): framing is what is tested.
"""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@contextmanager
def partner_site(embed_url):
    """A page on another origin that frames `embed_url`; yields its address."""
    body = (
        '<!doctype html><html lang="en"><head><title>Partner</title></head><body>'
        f'<iframe title="Health answer" src="{embed_url}" width="600" height="800"></iframe>'
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_embed_is_accessible_framable_by_partners_only_and_calls_no_other_host(
    site, chromium, settings, assert_accessible
):
    from healthpress.articles.models import ArticlePage

    article = ArticlePage.objects.live().get(url_path__endswith=urlsplit(site["article"]).path)
    embed_url = f"{site['base']}/embed/{article.pk}/"
    ours = urlsplit(site["base"]).netloc
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    refusals = []
    page.on("console", lambda message: refusals.append(message.text))

    # Alone: readable and accessible, at a desktop and a phone width.
    page.goto(embed_url)
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)

    with partner_site(embed_url) as partner, partner_site(embed_url) as stranger:
        settings.API_EMBED_FRAME_ANCESTORS = [partner]
        # Framed by the partner the setting names: shown.
        page.goto(f"{partner}/")
        frame = page.frame_locator("iframe")
        assert frame.get_by_role("heading", level=1).inner_text() == article.title
        assert frame.get_by_text("Read the full answer").count() == 1
        # Framed by anyone else: Chromium refuses it (frame-ancestors).
        page.goto(f"{stranger}/")
        page.wait_for_timeout(500)
        [child] = [f for f in page.frames if f != page.main_frame]
        assert article.title not in child.content()
        assert any("frame-ancestors" in text for text in refusals), refusals
        partners = {urlsplit(partner).netloc, urlsplit(stranger).netloc}
    context.close()

    elsewhere = {
        url
        for url in requested
        if urlsplit(url).netloc not in {ours, *partners}
        and urlsplit(url).scheme not in {"data", "blob"}
    }
    assert elsewhere == set()
    # From us the embed asked for itself and its one stylesheet, nothing else.
    assert {urlsplit(u).path for u in requested if urlsplit(u).netloc == ours} == {
        f"/embed/{article.pk}/",
        "/static/api/embed.css",
    }
