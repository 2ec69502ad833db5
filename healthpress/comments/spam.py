"""Spam checks that run before a moderator sees a comment. None of them drops a comment: each
gives a status (spam, or pending with a reason) that a moderator can overturn."""

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from healthpress.core.cleaning import find_urls
from healthpress.core.fill_token import filled_too_fast

from .blocklist import blocked_terms
from .models import Comment, Status


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
    return Comment.objects.filter(
        article_id=comment.article_id, fingerprint=comment.fingerprint, created_at__gte=since
    ).exclude(pk=comment.pk)
