"""Reference checks: does each source an article cites still answer at its address?

`check_url()` is a pure function (no database): one URL in, one `Result` out. `check_article()`
checks a live article's reference URLs and records each outcome in `ReferenceCheck`. The check
runs in the background (tasks.py) after an article is published, and weekly for every
live article (manage.py check_references). docs/article-health.md explains the outcomes to editors.

The rules, and why:
- HEAD first (no body to download). An answer of 400 or more to HEAD is confirmed with a GET,
  because many servers answer HEAD wrongly: 405 or 501 (HEAD refused), and some 403, 404 or 500
  from CDNs and web frameworks that serve GET fine. A reference is only called broken when GET
  agrees; a timeout on HEAD is not retried (the time bound matters more).
- Redirects are followed by hand, up to MAX_REDIRECTS, so that a permanent move (301, 308) is
  told apart from a temporary one (302, 303, 307): a chain that starts with permanent redirects
  is MOVED, with `final_url` where they lead (the address to cite now); a temporary redirect to
  a working page is OK. A loop, or more than MAX_REDIRECTS, is BROKEN. A redirect to anything but
  http(s) is never followed.
- Broken: an answer of 400 or more, DNS failure, TLS failure, timeout, connection refused or
  reset, an invalid HTTP answer. Only http and https addresses are fetched.
- Time: each URL (with all its redirects and the GET fallback) gets REFERENCE_CHECK_TIMEOUT
  seconds in all; a run gets REFERENCE_CHECK_TOTAL_SECONDS, after which the URLs left are reported
  as not checked (their previous result stays). Name lookups run in a daemon thread so a hung
  resolver cannot outlast the bound, and `.invalid` names fail at once (RFC 6761 asks resolvers
  to answer them negatively without asking the network).
  The bound is a deadline, not a per-read timeout: every socket read and write of the fetch
  waits at most until the deadline (`_DeadlineSocket`), so a server that drips one byte at a time
  cannot hold a worker past it. Only the status line and headers are read (no body).
- SSRF: an editor types these addresses and the server fetches them, so by default an address
  that resolves to a private, loopback, link-local or otherwise non-global IP is refused, and the
  connection goes to the very address that was checked (no second lookup that DNS rebinding could
  change). IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
  Teredo) are judged by that IPv4 address too, and deprecated site-local and local-use NAT64
  prefixes are refused: `ipaddress`'s `is_global` alone calls `64:ff9b::a9fe:a9fe` (a NAT64
  gateway's way to 169.254.169.254) global. Tests run local servers, so they set
  REFERENCE_CHECK_ALLOW_PRIVATE = True with the `settings` fixture; production leaves it unset
  (False).

Standard library (http.client) rather than `requests`: requests is only installed because
Wagtail needs it, and pinning the connection to the checked IP address while keeping TLS
verification for the host name is a few lines with http.client and a transport adapter with
requests.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

from .models import ReferenceCheck

MAX_REDIRECTS = 5
PERMANENT = {301, 308}
TEMPORARY = {302, 303, 307}
ALLOW_PRIVATE_SETTING = "REFERENCE_CHECK_ALLOW_PRIVATE"  # read with getattr(..., False)
ON_PUBLISH_SETTING = "REFERENCE_CHECK_ON_PUBLISH"  # read with getattr(..., True)
ERROR_MAX = 200  # ReferenceCheck.error's max_length

OK, MOVED, BROKEN = "ok", "moved", "broken"  # ReferenceCheck.Outcome's values


def user_agent():
    return f"HealthPress reference checker (+{settings.WAGTAILADMIN_BASE_URL})"


@dataclass(frozen=True)
class Result:
    """The outcome of checking one URL."""

    url: str
    outcome: str  # OK, MOVED or BROKEN
    status_code: int | None = None
    final_url: str = ""
    error: str = ""


class CheckFailed(Exception):
    """A URL could not be fetched; the message says why, for the editor."""


# --- one URL ---------------------------------------------------------------------------------


def check_url(url, *, timeout=None, deadline=None):
    """Check one reference URL. `timeout` (seconds, default REFERENCE_CHECK_TIMEOUT) bounds the
    whole check of this URL; `deadline` (a time.monotonic() value) bounds it further."""
    timeout = settings.REFERENCE_CHECK_TIMEOUT if timeout is None else timeout
    end = time.monotonic() + timeout
    if deadline is not None:
        end = min(end, deadline)
    current, visited, permanent_target = url, {url}, None
    still_permanent = True  # the chain so far is all permanent redirects
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            status, location = _fetch(current, end)
            if status in PERMANENT | TEMPORARY and location:
                target = urljoin(current, location.strip())
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    return _broken(url, f"redirected to a non-http(s) address: {target}", status)
                if status in PERMANENT and still_permanent:
                    permanent_target = target
                else:
                    still_permanent = False
                if target in visited:
                    return _broken(url, "redirect loop", status)
                visited.add(target)
                current = target
                continue
            if status >= 400:
                return Result(url, BROKEN, status, current if current != url else "", "")
            if permanent_target:
                return Result(url, MOVED, status, permanent_target)
            return Result(url, OK, status, current if current != url else "")
        return _broken(url, f"redirect loop: more than {MAX_REDIRECTS} redirects")
    except CheckFailed as failure:
        return _broken(url, str(failure))


def _broken(url, error, status=None):
    return Result(url, BROKEN, status, "", error[:ERROR_MAX])


def _fetch(url, end):
    """(status, Location header) for `url`: HEAD, and GET when HEAD answers 400 or more."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise CheckFailed(f"not an http(s) address ({scheme or 'no scheme'}): not checked")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise CheckFailed(f"invalid address: {error}") from None
    if not host:
        raise CheckFailed("invalid address: no host")
    port = port or (443 if scheme == "https" else 80)
    addresses = _allowed_addresses(host, port, end)
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        target += "?" + quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    status, location = _request("HEAD", scheme, host, port, addresses, target, end)
    if status >= 400:
        status, location = _request("GET", scheme, host, port, addresses, target, end)
    return status, location


def _remaining(end):
    left = end - time.monotonic()
    if left <= 0:
        raise CheckFailed("timeout: no answer in time")
    return left


def _resolve(host, port, end):
    """getaddrinfo() bounded in time: it takes no timeout, so it runs in a daemon thread."""
    if host.rstrip(".").lower().endswith(".invalid") or host.lower() == "invalid":
        raise CheckFailed(f"DNS failure: {host} does not exist")  # RFC 6761 section 6.4
    box = {}

    def lookup():
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            box["error"] = error

    worker = threading.Thread(target=lookup, name="reference-dns", daemon=True)
    worker.start()
    worker.join(_remaining(end))
    if worker.is_alive():
        raise CheckFailed(f"DNS failure: no answer for {host} in time")
    if "error" in box:
        raise CheckFailed(f"DNS failure: {host} not found")
    return [info[4][0] for info in box["infos"]]


def _allowed_addresses(host, port, end):
    addresses = list(dict.fromkeys(_resolve(host, port, end)))
    if getattr(settings, ALLOW_PRIVATE_SETTING, False):
        return addresses
    allowed = [a for a in addresses if _is_public(a)]
    if not allowed:
        raise CheckFailed(f"not checked: {host} is a private or local address")
    return allowed


# IPv6 prefixes whose addresses carry an IPv4 address in their last 32 bits.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052, the well-known NAT64 prefix
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291 2.5.5.1, deprecated
# Refused whatever they carry: RFC 8215's local-use NAT64 prefix (where the IPv4 address sits
# depends on the operator's prefix length) and RFC 3879's deprecated site-local fec0::/10
# (`is_site_local`, which `is_global` does not cover in every Python).
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")


def _is_public(address):
    """Whether the checker may connect to `address` (a numeric IP, maybe with a %zone)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:  # ::ffff:a.b.c.d is a plain IPv4 connection
            return _is_global(ip.ipv4_mapped)
        if ip.is_site_local or ip in NAT64_LOCAL_USE:
            return False
        if not all(_is_global(embedded) for embedded in embedded_ipv4(ip)):
            return False
    return _is_global(ip)


def _is_global(ip):
    return ip.is_global and not ip.is_multicast


def embedded_ipv4(ip):
    """The IPv4 addresses an IPv6 address carries to a gateway or tunnel: NAT64 and
    IPv4-compatible (the last 32 bits), 6to4 (2002::/16) and Teredo (2001::/32: server and
    client). A gateway that translates them reaches that IPv4 address, so it must be public."""
    if ip in NAT64 or ip in IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip.sixtofour:
        return [ip.sixtofour]
    if ip.teredo:
        return list(ip.teredo)
    return []


class _Deadline:
    """Every read and write waits at most until `end` (time.monotonic()).

    A socket timeout bounds one read, so a server that sends a byte every few seconds would
    keep the check going far past REFERENCE_CHECK_TIMEOUT; setting the timeout to what is left
    before each call makes the bound a deadline. http.client reads through makefile(), whose
    SocketIO calls recv_into() on the socket."""

    end = None  # set on each instance

    def _until_end(self):
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        self.settimeout(left)

    def recv_into(self, *args, **kwargs):
        self._until_end()
        return super().recv_into(*args, **kwargs)

    def recv(self, *args, **kwargs):
        self._until_end()
        return super().recv(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self._until_end()
        return super().sendall(*args, **kwargs)


class _DeadlineSocket(_Deadline, socket.socket):
    """A plain socket with the deadline."""


class _DeadlineSSLSocket(_Deadline, ssl.SSLSocket):
    """The same for a TLS socket (SSLContext.sslsocket_class); the handshake gets what is left,
    and CPython bounds a whole handshake by its timeout."""


def _connect(address, port, end):
    """A _DeadlineSocket connected to the numeric `address` within the time left."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = _DeadlineSocket(family, socket.SOCK_STREAM)
    sock.end = end
    try:
        sock.settimeout(_remaining(end))
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says now; Host stays the name."""

    def __init__(self, host, port, address, end):
        super().__init__(host, port, timeout=_remaining(end))
        self.address, self.end = address, end

    def connect(self):
        self.sock = _connect(self.address, self.port, self.end)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified for the host name (SNI and certificate)."""

    def __init__(self, host, port, address, end):
        self.tls = ssl.create_default_context()
        self.tls.sslsocket_class = _DeadlineSSLSocket
        super().__init__(host, port, timeout=_remaining(end), context=self.tls)
        self.address, self.end = address, end

    def connect(self):
        sock = _connect(self.address, self.port, self.end)
        try:
            sock.settimeout(_remaining(self.end))
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
            self.sock.end = self.end
        except BaseException:
            sock.close()
            raise


def _request(method, scheme, host, port, addresses, target, end):
    """One request, answered with (status, Location); tries each allowed address in turn."""
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    headers = {
        "User-Agent": user_agent(),
        "Accept": "*/*",
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    failure = None
    for address in addresses:
        connection = connection_class(host, port, address, end)
        try:
            connection.request(method, target, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        except (ConnectionRefusedError, ConnectionResetError) as error:
            failure = CheckFailed(
                "connection refused"
                if isinstance(error, ConnectionRefusedError)
                else "connection reset"
            )
        except TimeoutError:
            raise CheckFailed("timeout: no answer in time") from None
        except ssl.SSLError as error:
            reason = getattr(error, "verify_message", None) or error.reason or str(error)
            raise CheckFailed(f"TLS failure: {reason}") from None
        except http.client.HTTPException as error:
            raise CheckFailed(f"invalid HTTP answer: {type(error).__name__}") from None
        except OSError as error:
            failure = CheckFailed(f"connection failed: {error.strerror or error}")
        finally:
            connection.close()
    raise failure or CheckFailed("connection failed")


# --- an article ------------------------------------------------------------------------------


def reference_urls(article):
    """The article's reference URLs in the editor's order, each once."""
    urls = []
    for block in article.references:
        url = (block.value.get("url") or "").strip() if block.block_type == "reference" else ""
        if url and url not in urls:
            urls.append(url)
    return urls


@dataclass
class ArticleReport:
    """What one article's check did: the results recorded and the URLs left for lack of time."""

    article_id: int
    results: list = field(default_factory=list)
    not_checked: list = field(default_factory=list)

    @property
    def broken(self):
        return [r for r in self.results if r.outcome == BROKEN]

    @property
    def moved(self):
        return [r for r in self.results if r.outcome == MOVED]

    def as_dict(self):
        """JSON-friendly, for a task's return value."""
        return {
            "article": self.article_id,
            "checked": len(self.results),
            "broken": len(self.broken),
            "moved": len(self.moved),
            "not_checked": self.not_checked,
        }


def check_article(article, *, deadline=None):
    """Check `article`'s reference URLs (as the page instance has them: pass the live article)
    and record each result; forget the results of URLs it no longer cites. URLs left when the
    `deadline` (time.monotonic()) passes keep their previous result and are reported."""
    urls = reference_urls(article)
    report = ArticleReport(article.pk)
    for url in urls:
        if deadline is not None and time.monotonic() >= deadline:
            report.not_checked.append(url)
            continue
        result = check_url(url, deadline=deadline)
        report.results.append(result)
        ReferenceCheck.objects.update_or_create(
            article_id=article.pk,
            url=url,
            defaults={
                "outcome": result.outcome,
                "status_code": result.status_code,
                "final_url": result.final_url[:2000],
                "error": result.error,
                "checked_at": timezone.now(),
            },
        )
    ReferenceCheck.objects.filter(article_id=article.pk).exclude(url__in=urls).delete()
    return report


def deadline_from_now(seconds=None):
    """The time.monotonic() value a run stops at (REFERENCE_CHECK_TOTAL_SECONDS by default)."""
    seconds = settings.REFERENCE_CHECK_TOTAL_SECONDS if seconds is None else seconds
    return time.monotonic() + seconds


# --- on publish ------------------------------------------------------------------------------


# True inside checks_on_publish_paused().
_on_publish_paused = ContextVar("reference_checks_on_publish_paused", default=False)


@contextmanager
def checks_on_publish_paused():
    """Publishes inside the block queue no reference check. For content loaded from files that
    nobody asked to check yet: the demo, whose first load would otherwise send a request to every
    source it cites from the machine of whoever tries it. check_references checks them later."""
    token = _on_publish_paused.set(True)
    try:
        yield
    finally:
        _on_publish_paused.reset(token)


def checks_on_publish():
    """Whether a publish now should queue its article's reference check:
    REFERENCE_CHECK_ON_PUBLISH = False turns this off (the weekly run still checks), and so does
    checks_on_publish_paused() for the publishes inside it (receivers.queue_reference_checks)."""
    return getattr(settings, ON_PUBLISH_SETTING, True) and not _on_publish_paused.get()
