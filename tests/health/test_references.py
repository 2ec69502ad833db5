"""Reference checks against real HTTP servers on 127.0.0.1: every outcome an editor can see,
the time bounds, the check queued on publish and the weekly command. Nothing reaches the
internet: the only names looked up are `.invalid` ones, which fail without asking the network."""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from healthpress.articles.content import save_article
from healthpress.health import references
from healthpress.health.models import ReferenceCheck
from healthpress.health.references import BROKEN, MOVED, OK, check_url
from tests.conftest import make_article_content

SLOW_SECONDS = 1.0
TIMEOUT = 0.3
DRIP_SECONDS = 3.0
DRIP_INTERVAL = 0.02


class Handler(BaseHTTPRequestHandler):
    """Each path is one case; every request is remembered as (method, path, User-Agent)."""

    seen = None  # set per server

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, head):
        self.server.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        path = self.path
        if path == "/ok":
            return self.reply(200)
        if path == "/missing":
            return self.reply(404)
        if path == "/error":
            return self.reply(500)
        if path == "/no-head":
            return self.reply(405 if head else 200)
        if path == "/moved":
            return self.reply(301, location="/ok")
        if path == "/moved-twice":
            return self.reply(308, location=f"http://127.0.0.1:{self.server.server_port}/moved")
        if path == "/elsewhere":
            return self.reply(302, location="/ok")
        if path == "/temporary-to-missing":
            return self.reply(307, location="/missing")
        if path == "/loop-a":
            return self.reply(302, location="/loop-b")
        if path == "/loop-b":
            return self.reply(302, location="/loop-a")
        if path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            return self.reply(302, location=f"/chain/{n + 1}")
        if path == "/to-file":
            return self.reply(301, location="file:///etc/passwd")
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return self.reply(200)
        if path == "/drip":
            return self.drip()
        return self.reply(404)

    def drip(self):
        """A status line, then one header byte every DRIP_INTERVAL for DRIP_SECONDS: each read
        gets its byte well inside any per-read timeout."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        self.wfile.flush()
        stop = time.monotonic() + DRIP_SECONDS
        try:
            while time.monotonic() < stop:
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(DRIP_INTERVAL)
        except OSError:
            pass  # the checker hung up: what the deadline is for
        self.close_connection = True

    def reply(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def httpd():
    """A local HTTP server on a free port, shared by the module's tests."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    httpd.url = lambda path: f"http://127.0.0.1:{httpd.server_port}{path}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(httpd, settings):
    """The local server, with the checker allowed to reach 127.0.0.1 and a short timeout."""
    settings.REFERENCE_CHECK_ALLOW_PRIVATE = True
    settings.REFERENCE_CHECK_TIMEOUT = TIMEOUT
    httpd.seen.clear()
    return httpd


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_working_reference_is_ok(server):
    result = check_url(server.url("/ok"))
    assert (result.outcome, result.status_code, result.error) == (OK, 200, "")
    assert server.seen == [("HEAD", "/ok", server.seen[0][2])]


def test_the_checker_names_itself_and_the_site(server, settings):
    check_url(server.url("/ok"))
    assert server.seen[0][2] == f"HealthPress reference checker (+{settings.WAGTAILADMIN_BASE_URL})"


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/error", 500)])
def test_an_error_answer_is_broken_once_get_confirms_it(server, path, status):
    result = check_url(server.url(path))
    assert (result.outcome, result.status_code) == (BROKEN, status)
    assert [method for method, *_ in server.seen] == ["HEAD", "GET"]


def test_a_server_that_refuses_head_is_asked_with_get(server):
    result = check_url(server.url("/no-head"))
    assert (result.outcome, result.status_code) == (OK, 200)
    assert [method for method, *_ in server.seen] == ["HEAD", "GET"]


def test_a_permanent_redirect_is_moved_with_the_new_address(server):
    result = check_url(server.url("/moved"))
    assert (result.outcome, result.status_code) == (MOVED, 200)
    assert result.final_url == server.url("/ok")


def test_permanent_redirects_in_a_row_give_the_last_address(server):
    result = check_url(server.url("/moved-twice"))
    assert result.outcome == MOVED
    assert result.final_url == server.url("/ok")


def test_a_temporary_redirect_to_a_working_page_is_ok(server):
    result = check_url(server.url("/elsewhere"))
    assert (result.outcome, result.status_code) == (OK, 200)
    assert result.final_url == server.url("/ok")


def test_a_temporary_redirect_to_a_missing_page_is_broken(server):
    result = check_url(server.url("/temporary-to-missing"))
    assert (result.outcome, result.status_code) == (BROKEN, 404)


def test_a_redirect_loop_is_broken(server):
    result = check_url(server.url("/loop-a"))
    assert (result.outcome, result.error) == (BROKEN, "redirect loop")
    assert len(server.seen) == 2


def test_more_than_five_redirects_is_broken(server):
    result = check_url(server.url("/chain/1"))
    assert result.outcome == BROKEN
    assert result.error.startswith("redirect loop")
    assert len(server.seen) == 6  # the first request and five redirects followed


def test_a_redirect_to_another_scheme_is_not_followed(server):
    result = check_url(server.url("/to-file"))
    assert result.outcome == BROKEN
    assert "non-http(s)" in result.error
    assert len(server.seen) == 1


def test_a_slow_server_times_out_within_the_bound(server):
    started = time.monotonic()
    result = check_url(server.url("/slow"))
    assert time.monotonic() - started < SLOW_SECONDS
    assert result.outcome == BROKEN
    assert result.error.startswith("timeout")


def test_a_server_dripping_bytes_is_cut_off_at_the_deadline(server):
    """One byte every 20 ms never lets a read time out; the whole fetch still ends by the
    deadline (REFERENCE_CHECK_TIMEOUT is the total, not a per-read timeout)."""
    started = time.monotonic()
    result = check_url(server.url("/drip"))
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + 0.25, f"the check took {elapsed:.2f} s"
    assert result.outcome == BROKEN
    assert result.error.startswith("timeout")


def test_the_deadline_covers_a_tls_handshake_that_never_ends(settings):
    """A server that accepts and then sends nothing: the TLS handshake waits only until the
    deadline."""
    settings.REFERENCE_CHECK_ALLOW_PRIVATE = True
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        result = check_url(f"https://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.3)
    assert time.monotonic() - started < 0.55
    assert result.outcome == BROKEN
    assert result.error.startswith("timeout")


@pytest.fixture(scope="module")
def tls_httpd(tmp_path_factory):
    """The same server behind TLS, with a certificate for 127.0.0.1 made by openssl for the
    run; the checker trusts it through the `trusted` context below."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.seen = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    httpd.url = lambda path: f"https://127.0.0.1:{httpd.server_port}{path}"
    httpd.cert = str(cert)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_https_is_checked_and_cut_off_at_the_deadline_too(tls_httpd, settings, monkeypatch):
    settings.REFERENCE_CHECK_ALLOW_PRIVATE = True
    settings.REFERENCE_CHECK_TIMEOUT = TIMEOUT
    default_context = ssl.create_default_context
    monkeypatch.setattr(
        references.ssl, "create_default_context", lambda: default_context(cafile=tls_httpd.cert)
    )
    assert check_url(tls_httpd.url("/moved")).outcome == MOVED
    started = time.monotonic()
    result = check_url(tls_httpd.url("/drip"))
    assert time.monotonic() - started < TIMEOUT + 0.25
    assert (result.outcome, result.error[:7]) == (BROKEN, "timeout")


def test_an_unknown_host_is_a_dns_failure_at_once(settings):
    started = time.monotonic()
    result = check_url("http://no-such-host.invalid/page")
    assert time.monotonic() - started < 0.1
    assert result.outcome == BROKEN
    assert result.error.startswith("DNS failure")


def test_a_hung_resolver_cannot_outlast_the_bound(settings, monkeypatch):
    monkeypatch.setattr(references.socket, "getaddrinfo", lambda *a, **k: time.sleep(2))
    started = time.monotonic()
    result = check_url("http://example.org/", timeout=0.2)
    assert time.monotonic() - started < 1
    assert result.outcome == BROKEN
    assert result.error.startswith("DNS failure")


def test_a_closed_port_is_connection_refused(settings, closed_port):
    settings.REFERENCE_CHECK_ALLOW_PRIVATE = True
    result = check_url(f"http://127.0.0.1:{closed_port}/")
    assert (result.outcome, result.error) == (BROKEN, "connection refused")


def test_a_server_that_does_not_speak_tls_is_a_tls_failure(server):
    result = check_url(server.url("/ok").replace("http:", "https:"))
    assert result.outcome == BROKEN
    assert result.error.startswith("TLS failure")


def test_only_http_and_https_are_fetched(server):
    result = check_url("ftp://127.0.0.1/file.pdf")
    assert result.outcome == BROKEN
    assert "not checked" in result.error


def test_local_addresses_are_refused_unless_allowed(server, settings):
    settings.REFERENCE_CHECK_ALLOW_PRIVATE = False
    result = check_url(server.url("/ok"))
    assert result.outcome == BROKEN
    assert "private or local" in result.error
    assert server.seen == []


# Each address as a resolver could answer it for an editor's URL. The embedded IPv4 forms reach
# the IPv4 address through a gateway or tunnel (NAT64, 6to4, Teredo) or the kernel (mapped).
REFUSED_ADDRESSES = [
    "127.0.0.1",
    "10.1.2.3",
    "169.254.169.254",  # cloud metadata
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",  # NAT64 well-known prefix: 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64: 127.0.0.1
    "64:ff9b::a01:203",  # NAT64: 10.1.2.3
    "64:ff9b:1::808:808",  # local-use NAT64 prefix (RFC 8215)
    "2002:7f00:1::",  # 6to4: 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4: 169.254.169.254
    "2002:c0a8:101::",  # 6to4: 192.168.1.1
    "::7f00:1",  # IPv4-compatible: 127.0.0.1
    "::a9fe:a9fe",  # IPv4-compatible: 169.254.169.254
    "fec0::1",  # site-local (deprecated)
    "feff::1",  # site-local, end of fec0::/10
    "2001::1",  # Teredo
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo, client 192.0.2.45 (documentation)
    "ff02::1",  # multicast
]
ALLOWED_ADDRESSES = [
    "93.184.215.14",
    "2606:4700:4700::1111",
    "::ffff:93.184.215.14",  # IPv4-mapped, public
    "64:ff9b::808:808",  # NAT64: 8.8.8.8
    "2002:808:808::1",  # 6to4: 8.8.8.8
]


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_an_address_that_is_or_carries_a_local_ipv4_is_refused(address):
    assert not references._is_public(address)


@pytest.mark.parametrize("address", ALLOWED_ADDRESSES)
def test_a_public_address_and_its_public_ipv6_forms_are_allowed(address):
    assert references._is_public(address)


@pytest.mark.parametrize(
    "address", ["64:ff9b::a9fe:a9fe", "2002:7f00:1::", "::7f00:1", "fec0::1", "2001::1"]
)
def test_a_name_resolving_to_an_embedded_local_ipv4_is_never_connected_to(
    address, settings, monkeypatch
):
    """The whole check, with the resolver answering one IPv6 form: refused before any
    connection (the socket layer is replaced so that nothing can reach the network)."""
    settings.REFERENCE_CHECK_ALLOW_PRIVATE = False
    answer = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, 80, 0, 0))]
    monkeypatch.setattr(references.socket, "getaddrinfo", lambda *a, **k: answer)
    connected = []

    def connect(*args, **kwargs):
        connected.append(args)
        raise ConnectionRefusedError

    monkeypatch.setattr(references, "_connect", connect, raising=False)
    monkeypatch.setattr(references.socket, "create_connection", connect)
    result = check_url("http://metadata.example.org/latest/")
    assert result.outcome == BROKEN
    assert "private or local" in result.error
    assert connected == []


def reference(url, title="A source"):
    return {"type": "reference", "value": {"title": title, "url": url}}


@pytest.fixture
def article_with(topic, author, settings):
    """An article (published) citing the given URLs; the check on publish is off here."""

    def make(*urls, question="Why do my legs cramp at night?"):
        settings.REFERENCE_CHECK_ON_PUBLISH = False
        content = make_article_content(question, references=[reference(u) for u in urls])
        return save_article(content, topic=topic, author=author, publish=True)[0]

    return make


def test_an_article_check_records_each_url_and_forgets_removed_ones(server, article_with, db):
    article = article_with(server.url("/ok"), server.url("/missing"), server.url("/moved"))
    report = references.check_article(article)
    rows = {c.url: c for c in ReferenceCheck.objects.filter(article=article)}
    assert {url: c.outcome for url, c in rows.items()} == {
        server.url("/ok"): OK,
        server.url("/missing"): BROKEN,
        server.url("/moved"): MOVED,
    }
    assert rows[server.url("/missing")].status_code == 404
    assert rows[server.url("/moved")].final_url == server.url("/ok")
    assert report.as_dict()["broken"] == 1

    article = article_with(server.url("/ok"))  # the editor dropped two references
    references.check_article(article)
    assert list(ReferenceCheck.objects.values_list("url", flat=True)) == [server.url("/ok")]


def test_the_overall_bound_stops_and_names_what_was_not_checked(server, article_with, db):
    article = article_with(server.url("/slow"), server.url("/ok"), server.url("/error"))
    started = time.monotonic()
    report = references.check_article(article, deadline=time.monotonic() + 0.1)
    assert time.monotonic() - started < SLOW_SECONDS
    assert [r.url for r in report.results] == [server.url("/slow")]
    assert report.not_checked == [server.url("/ok"), server.url("/error")]
    assert ReferenceCheck.objects.count() == 1


def test_publishing_an_article_checks_its_references(server, topic, author, committed, settings):
    settings.REFERENCE_CHECK_ON_PUBLISH = True
    content = make_article_content(references=[reference(server.url("/missing"))])
    with committed():
        article, _ = save_article(content, topic=topic, author=author, publish=True)
    check = ReferenceCheck.objects.get(article=article)
    assert (check.url, check.outcome, check.status_code) == (server.url("/missing"), BROKEN, 404)


def test_a_draft_checks_nothing(server, topic, author, committed, settings):
    settings.REFERENCE_CHECK_ON_PUBLISH = True
    content = make_article_content(references=[reference(server.url("/ok"))])
    with committed():
        save_article(content, topic=topic, author=author, publish=False)
    assert server.seen == []
    assert not ReferenceCheck.objects.exists()


def test_the_weekly_command_lists_broken_and_moved_references(server, article_with):
    article = article_with(server.url("/ok"), server.url("/missing"), server.url("/moved"))
    other = article_with(server.url("/loop-a"), question="Is cramp a sign of low calcium?")
    out, err = StringIO(), StringIO()
    call_command("check_references", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert f"article {article.pk} “{article.title}”: {server.url('/missing')} broken: HTTP 404" in (
        lines
    )
    assert (
        f"article {article.pk} “{article.title}”: {server.url('/moved')} moved permanently "
        f"(200) to {server.url('/ok')}" in lines
    )
    assert f"article {other.pk} “{other.title}”: {server.url('/loop-a')} broken: redirect loop" in (
        lines
    )
    assert lines[-1] == "Checked 4 reference URLs in 2 articles: 2 broken, 1 moved permanently."
    assert err.getvalue() == ""


def test_the_command_reports_what_the_time_bound_left(server, article_with):
    article_with(server.url("/slow"), server.url("/ok"))
    out, err = StringIO(), StringIO()
    call_command("check_references", "--total-seconds", "0.1", stdout=out, stderr=err)
    assert "Checked 1 reference URLs in 1 articles: 1 broken" in out.getvalue()
    assert "1 URLs not checked" in err.getvalue()
    assert server.url("/ok") in err.getvalue()


def test_the_command_checks_one_article_and_refuses_an_unknown_one(server, article_with):
    first = article_with(server.url("/ok"))
    article_with(server.url("/missing"), question="Is cramp a sign of low calcium?")
    out = StringIO()
    call_command("check_references", "--article", str(first.pk), stdout=out)
    assert ReferenceCheck.objects.get().article_id == first.pk
    with pytest.raises(Exception, match="no live article with ID 999999"):
        call_command("check_references", "--article", "999999", stdout=out)


def test_the_command_explains_itself():
    from healthpress.health.management.commands.check_references import Command

    help_text = StringIO()
    Command().create_parser("manage.py", "check_references").print_help(help_text)
    assert "--article ID" in help_text.getvalue()
    assert "REFERENCE_CHECK_TOTAL_SECONDS" in help_text.getvalue()
