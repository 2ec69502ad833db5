"""The small shared pieces the public forms stand on: cross-site refusal, rate limits, client IPs,
and the SMTP sink the email tests use."""

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory

from healthpress.core.clients import client_ip, client_key, truncated_ip
from healthpress.core.ratelimit import over_limit
from healthpress.core.security import is_cross_site, public_form

rf = RequestFactory()


@public_form
def echo(request):
    return HttpResponse("stored")


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({}, False),  # curl, old browsers: not a cross-site browser form
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, False),
        ({"HTTP_SEC_FETCH_SITE": "none"}, False),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, True),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, True),
        ({"HTTP_ORIGIN": "http://testserver"}, False),
        ({"HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_ORIGIN": "null"}, True),
        ({"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"}, True),
    ],
)
def test_cross_site_posts_are_refused_with_403(db, headers, refused):
    request = rf.post("/form/", "x=1", "application/x-www-form-urlencoded", **headers)
    assert is_cross_site(request) is refused
    response = echo(request)
    assert response.status_code == (403 if refused else 200)
    if refused:
        assert b"sent from another website" in response.content


def test_trusted_origin_passes(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.health.example"]
    request = rf.post("/form/", HTTP_ORIGIN="https://www.health.example")
    assert not is_cross_site(request)


def test_get_is_never_refused():
    assert echo(rf.get("/form/", HTTP_SEC_FETCH_SITE="cross-site")).status_code == 200


def test_rate_limit_counts_per_client_and_scope():
    limits = [(3, 60)]
    assert [over_limit("t1", "a", limits) for _ in range(4)] == [False, False, False, True]
    assert not over_limit("t1", "b", limits)
    assert not over_limit("t2", "a", limits)


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        ("not an ip", ""),
        ("", ""),
    ],
)
def test_addresses_are_kept_only_truncated(ip, expected):
    assert truncated_ip(ip) == expected


def test_forwarded_for_is_trusted_only_behind_configured_proxies(settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.9"
    assert client_key(request) == "198.51.100.0"


def test_smtp_sink_receives_real_smtp_traffic(smtp_server):
    mail.send_mail("Hello", "Body text", "site@example.org", ["reader@example.org"])
    [message] = smtp_server.to("reader@example.org")
    assert message["Subject"] == "Hello"
    assert message.get_content().strip() == "Body text"


@public_form
def fields(request):
    return HttpResponse(request.POST.get("comment", ""))


def raw_post(body, content_length=None):
    """A POST whose Content-Length says what the test wants (absent: a chunked body)."""
    from io import BytesIO

    from django.core.handlers.wsgi import WSGIRequest

    environ = rf.post("/form/", "", "application/x-www-form-urlencoded").environ
    environ.pop("CONTENT_LENGTH", None)
    if content_length is not None:
        environ["CONTENT_LENGTH"] = str(content_length)
    environ.update({"wsgi.input": BytesIO(body), "wsgi.input_terminated": True})
    return WSGIRequest(environ)


def test_an_ordinary_form_is_read(db):
    request = rf.post("/form/", "comment=Thanks%21", "application/x-www-form-urlencoded")
    assert fields(request).content == b"Thanks!"


def test_the_body_is_read_up_to_the_limit_whatever_the_headers_say(db, settings):
    settings.PUBLIC_FORM_MAX_BYTES = 1024
    big = b"comment=" + b"x" * 100_000
    assert fields(raw_post(b"comment=" + b"x" * 900, 908)).status_code == 200
    response = fields(raw_post(big, 10**9))  # a length that claims more than arrives
    assert response.status_code == 413 and b"too large" in response.content
    assert fields(raw_post(big, 12)).content == b"xxxx"  # only what the header allows is read
    assert fields(raw_post(big)).content == b""  # chunked: Django 5.2 reads no body at all


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data; boundary=xyz", "application/json", "text/plain"]
)
def test_anything_but_an_ordinary_form_is_415(db, content_type):
    response = fields(rf.post("/form/", "comment=x", content_type))
    assert response.status_code == 415
    assert b"cannot be sent that way" in response.content
