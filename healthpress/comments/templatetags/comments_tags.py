"""The comment block under an article: a fixed number of queries however many comments there are.

Everything shown depends only on the URL (page number, order, reply target, the fixed "received"
flag of the POST-redirect-GET landing), never on the visitor, so the page stays cacheable whole.
The URL is read by comments/block_state.py, the one rule for these parameters.
"""

from django import template
from django.http import Http404

from healthpress.core.canonical_params import Respelled
from healthpress.core.fill_token import fill_token

from ..block_state import PER_PAGE, BlockState, page_count, read_block_state
from ..counts import top_level_page
from ..forms import CommentForm
from ..models import Comment

register = template.Library()


def shown_state(page, request):
    """What the block shows for this request. The page hook has already answered a URL that is
    not canonical with a redirect or a 404; where no hook ran (a failed POST shown again, a
    preview) such a URL shows the plain block."""
    if request is None:
        return BlockState()
    try:
        return read_block_state(page, request.GET)
    except (Respelled, Http404):
        return BlockState()


def comment_threads(article, page_number=1, newest_first=False):
    """Approved top-level comments for one page, each with its approved replies (oldest first).

    Two queries whatever the numbers: one page of top-level comments, which carries the counts
    too, and their replies; one when there are no comments at all.
    """
    order = ("-created_at", "-pk") if newest_first else ("created_at", "pk")
    page_number = max(1, page_number)
    top = top_level_page(article.pk, order, (page_number - 1) * PER_PAGE, PER_PAGE)
    if not top:
        if page_number > 1:  # past the last page, where no page hook checked the URL
            return comment_threads(article, 1, newest_first)
        return {"total": 0, "threads": [], "page_number": 1, "pages": 1, "page_range": range(1, 2)}
    total = top[0].top_total + top[0].reply_total
    pages = page_count(top[0].top_total)
    replies = {}
    for reply in (
        Comment.objects.visible()
        .filter(parent__in=[c.pk for c in top])
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
    state = shown_state(page, request)
    data = comment_threads(page, state.page_number, newest_first=state.newest_first)
    # A form being shown again after a failed POST (errors and the reader's text) travels on the
    # request; that response is never cached. Its reply target is the form's own (a top-level
    # comment readers see, checked by CommentForm.clean_reply_to).
    form = getattr(request, "comment_form", None) if request is not None else None
    replying_to = state.replying_to
    if form is not None and form.is_bound:
        replying_to = form.parent
    if form is None:
        form = CommentForm(article=page)
    return {
        "page": page,
        "comment_count": data["total"],
        "threads": data["threads"],
        "comment_page": data["page_number"],
        "comment_pages": data["pages"],
        "comment_page_range": data["page_range"],
        "newest_first": state.newest_first,
        "received": state.received and form.is_bound is False,
        "form": form,
        "replying_to": replying_to,
        "fill_token": fill_token(page.pk),
        "base_url": page.url or "",
    }
