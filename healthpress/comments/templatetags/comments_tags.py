"""The comment block under an article: a fixed number of queries however many comments there are.

Everything shown depends only on the URL (page number, order, reply target, the fixed "received"
flag of the POST-redirect-GET landing), never on the visitor, so the page stays cacheable whole.
"""

from django import template

from ..counts import visible_counts
from ..forms import CommentForm
from ..models import Comment
from ..spam import fill_token

register = template.Library()
PER_PAGE = 50


def _int_param(request, name, default=None):
    try:
        value = int(request.GET.get(name, ""))
    except (TypeError, ValueError):
        return default
    return value if 0 < value < 2**31 else default


def comment_threads(article, page_number=1, newest_first=False):
    """Approved top-level comments for one page, each with its approved replies (oldest first).

    Three queries whatever the numbers: the counts, one page of top-level comments, their replies;
    one when there are no comments at all.
    """
    total, top_level = visible_counts(article.pk)
    if not total:
        return {"total": 0, "threads": [], "page_number": 1, "pages": 1, "page_range": range(1, 2)}
    visible = Comment.objects.visible().filter(article=article)
    pages = max(1, -(-top_level // PER_PAGE))
    page_number = min(max(1, page_number), pages)
    order = ("-created_at", "-pk") if newest_first else ("created_at", "pk")
    start = (page_number - 1) * PER_PAGE
    top = list(
        visible.filter(parent__isnull=True)
        .order_by(*order)
        .only("pk", "name", "body", "created_at", "article_id", "parent_id")[
            start : start + PER_PAGE
        ]
    )
    replies = {}
    if top:
        for reply in (
            visible.filter(parent__in=[c.pk for c in top])
            .order_by("created_at", "pk")
            .only("pk", "name", "body", "created_at", "article_id", "parent_id")
        ):
            replies.setdefault(reply.parent_id, []).append(reply)
    for comment in top:
        comment.visible_replies = replies.get(comment.pk, [])
    return {
        "total": total,
        "threads": top,
        "page_number": page_number,
        "pages": pages,
        "page_range": range(1, pages + 1),
    }


@register.inclusion_tag("comments/comment_block.html", takes_context=True)
def comment_block(context, page):
    request = context.get("request")
    params = request.GET if request is not None else {}
    newest_first = params.get("corder") == "newest"
    data = comment_threads(
        page, _int_param(request, "cpage", 1) if request else 1, newest_first=newest_first
    )
    # A form being shown again after a failed POST (errors and the reader's text) travels on the
    # request; that response is never cached.
    form = getattr(request, "comment_form", None) if request is not None else None
    reply_id = _int_param(request, "reply") if request is not None else None
    if form is not None and form.is_bound:
        reply_id = form.parent.pk if form.parent else None
    replying_to = None
    if reply_id:
        replying_to = Comment.objects.visible().filter(pk=reply_id, article=page).first()
        if replying_to is not None and replying_to.parent_id:
            replying_to = replying_to.parent
    if form is None:
        form = CommentForm(article=page)
    return {
        "page": page,
        "comment_count": data["total"],
        "threads": data["threads"],
        "comment_page": data["page_number"],
        "comment_pages": data["pages"],
        "comment_page_range": data["page_range"],
        "newest_first": newest_first,
        "received": params.get("comment") == "received" and form.is_bound is False,
        "form": form,
        "replying_to": replying_to,
        "fill_token": fill_token(page.pk),
        "base_url": page.url or "",
    }
