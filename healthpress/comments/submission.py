"""Taking in a new comment: find its article, store it pending first, then judge it, then tell
moderators."""

from django.conf import settings
from django.db import transaction

from healthpress.articles.models import ArticlePage

from . import spam, tasks
from .models import Comment, Status


def trusted_commenters_enabled():
    return getattr(settings, "COMMENTS_TRUSTED_COMMENTERS", False)


def open_article(page_id):
    """The live, public article a comment form names, or None: what every POST looks up first.
    tests/comments/test_posting.py pins the behaviour: drafts, restricted pages and ancestors,
    non-article pages and malformed ids all give None."""
    try:
        pk = int(str(page_id).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    # Only what the redirect and the form need: the body and people stay in the database.
    return (
        ArticlePage.objects.live()
        .public()
        .filter(pk=pk)
        .select_related(None)
        .only("id", "path", "depth", "url_path", "title", "live", "locale")
        .first()
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
