"""Taking in a new comment: find its article, store it pending first, then judge it, then tell
moderators."""

import functools

from django.conf import settings
from django.db import connection, transaction

from healthpress.core.sql import raw

from . import spam, tasks
from .models import Comment, Status


def trusted_commenters_enabled():
    return getattr(settings, "COMMENTS_TRUSTED_COMMENTERS", False)


def open_article(page_id):
    """The live, public article a comment form names, or None: what every POST looks up first.

    One statement, written out rather than built by the ORM: building the two equivalent ORM
    queries (the live article; any view restriction on it or an ancestor) cost about 1 ms of CPU
    per POST, a quarter of the whole request, while SQLite runs the statement in tens of
    microseconds. A restriction covers a page's whole subtree, and a page's ancestors are exactly
    the pages whose tree path is a prefix of its own, so "no restriction covers it" is one NOT
    EXISTS. Only the columns the redirect and the form need are loaded (the rest are deferred).
    tests/comments/test_posting.py pins the behaviour: drafts, restricted pages and ancestors,
    non-article pages and malformed ids all give None.
    """
    from healthpress.articles.models import ArticlePage

    try:
        pk = int(str(page_id).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    found = raw(ArticlePage, _open_article_sql(connection.vendor), [pk, True])
    return next(iter(found), None)


@functools.cache
def _open_article_sql(vendor):
    from wagtail.models import Page

    from healthpress.articles.models import ArticlePage
    from healthpress.core.sql import column, joined_to_page, no_view_restriction, page_columns

    ptr, source = joined_to_page(ArticlePage, "a")
    columns = page_columns("p", ("id", "path", "depth", "url_path", "title", "live", "locale"))
    return (
        f"SELECT a.{ptr}, {columns} {source} "
        f"WHERE a.{ptr} = %s AND p.{column(Page, 'live')} = %s AND {no_view_restriction('p')}"
    )


def submit_comment(article, form, ip_network="", user_agent=""):
    """Store a validated form's comment and return it. Nothing after the INSERT can lose it."""
    data = form.cleaned_data
    comment = Comment.objects.create(
        article=article,
        parent=form.parent,
        name=data["name"],
        email=data.get("email") or "",
        body=data["comment"],
        notify=bool(data.get("notify")),
        status=Status.PENDING,
        ip_network=ip_network,
        user_agent=user_agent[:300],
    )
    verdict = spam.assess(comment, honeypot=data.get("website", ""), token=data.get("started"))
    if (verdict.status, verdict.reason) != (comment.status, comment.reason):
        comment.status, comment.reason = verdict.status, verdict.reason
        Comment.objects.filter(pk=comment.pk).update(status=comment.status, reason=comment.reason)
    if comment.status != Status.PENDING:
        return comment
    if trusted_commenters_enabled() and is_known_commenter(comment):
        transaction.on_commit(lambda: tasks.send_trust_confirmation.enqueue(comment.pk))
    transaction.on_commit(tasks.schedule_moderator_digest)
    return comment


def is_known_commenter(comment):
    """An address that already has an approved comment. Typing it proves nothing, so the comment
    is only published once the owner of the address follows the link we send there."""
    if not comment.email or comment.reason:
        return False
    return (
        Comment.objects.for_email(comment.email)
        .filter(status=Status.APPROVED)
        .exclude(pk=comment.pk)
        .exists()
    )
