"""Spam checks that run before a moderator sees a comment. None of them drops a comment: each
gives a status (spam, or pending with a reason) that a moderator can overturn."""

import re
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .blocklist import blocked_terms
from .cleaning import find_urls

FILL_TOKEN_SALT = "healthpress.comments.fill-time"


def min_fill_seconds():
    return getattr(settings, "COMMENTS_MIN_FILL_SECONDS", 3)


def fill_token(page_id, issued_at=None):
    """A signed note of when the form was rendered, for this article. A cached page carries an
    older time, which only makes the check more lenient, never stricter, for a human."""
    issued = int(issued_at if issued_at is not None else time.time())
    return signing.dumps([int(page_id), issued], salt=FILL_TOKEN_SALT, compress=False)


def max_token_age():
    """How long a rendered form stays good: the page cache's life plus a day for a tab left
    open. A token harvested once cannot be replayed by a bot for ever."""
    return settings.PAGE_CACHE_SECONDS + settings.COMMENTS_FORM_MAX_AGE_SECONDS


def filled_too_fast(token, page_id, now=None):
    """True when the token is missing, forged, for another article, younger than the minimum
    fill time or older than max_token_age(): all things a person using the form cannot cause."""
    try:
        token_page, issued = signing.loads(token or "", salt=FILL_TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return True
    now = time.time() if now is None else now
    age = now - issued
    return token_page != page_id or not min_fill_seconds() <= age <= max_token_age()


@dataclass
class Verdict:
    status: str  # a Status value
    reason: str = ""


def url_hosts(urls):
    hosts = []
    for url in urls:
        try:
            host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
        except ValueError:
            continue
        hosts.append(host.lower())
    return hosts


def matching_blocked_term(name, email, body, terms):
    text = f"{name}\n{body}".lower()
    hosts = url_hosts(find_urls(body))
    email_domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
    for term in terms:
        if "." in term:
            domains = [*hosts, email_domain]
            if any(h == term or h.endswith("." + term) for h in domains if h):
                return term
            if re.search(rf"(?<![\w.-]){re.escape(term)}(?![\w-])", text):
                return term
        elif re.search(rf"\b{re.escape(term)}\b", text):
            return term
    return None


def assess(comment, honeypot="", token="", now=None):
    """The status a new, already-stored comment should have, and why."""
    from .models import Status

    if honeypot.strip():
        return Verdict(Status.SPAM, "honeypot field filled in")
    if filled_too_fast(token, comment.article_id, now):
        return Verdict(Status.SPAM, "form sent too fast or without its token")
    term = matching_blocked_term(comment.name, comment.email, comment.body, blocked_terms())
    if term:
        return Verdict(Status.SPAM, f"contains blocked term “{term}”")
    if posted_before(comment, since=timezone.now() - timedelta(days=1)):
        return Verdict(Status.SPAM, "same text posted on this article within a day")
    links = len(find_urls(comment.body))
    if links > getattr(settings, "COMMENTS_MAX_LINKS", 2):
        return Verdict(Status.PENDING, f"contains {links} links")
    return Verdict(Status.PENDING)


def posted_before(comment, since):
    """Whether another comment with the same fingerprint reached this article since `since`."""
    return earlier_copies(comment, since).exists()


def earlier_copies(comment, since):
    """Answered from the (article, fingerprint, created_at) index (tests/comments/test_posting.py
    reads the plan)."""
    from .models import Comment

    return Comment.objects.filter(
        article_id=comment.article_id, fingerprint=comment.fingerprint, created_at__gte=since
    ).exclude(pk=comment.pk)
