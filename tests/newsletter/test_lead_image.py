"""The new-article email shows the lead image as a JPEG at an absolute address, with its size
and alt text (issue 26.1)."""

import re

import pytest

from healthpress.newsletter.pipeline import send_newsletter

from .conftest import html_part

pytestmark = pytest.mark.django_db


def test_the_new_article_email_shows_the_lead_image_with_alt_text(
    smtp_server, make_subscriber, make_article, make_image
):
    make_subscriber("reader@example.org")
    make_article(lead_image=make_image("Calf", 800, 500), lead_image_alt="A runner's calf")

    send_newsletter()
    [message] = smtp_server.to("reader@example.org")
    html = html_part(message)
    img = re.search(r"<img [^>]*>", html).group(0)
    assert re.search(r'src="http://testserver/media/images/[^"]+\.jpg"', img)
    assert 'alt="A runner&#x27;s calf"' in img or 'alt="A runner\'s calf"' in img
    assert 'width="600"' in img and re.search(r'height="\d+"', img)


def test_an_article_without_a_lead_image_sends_no_picture(
    smtp_server, make_subscriber, make_article
):
    make_subscriber("reader@example.org")
    make_article()
    send_newsletter()
    [message] = smtp_server.to("reader@example.org")
    assert "<img" not in html_part(message)
