"""What an article's comment block shows, read from the article's URL: the one rule for the
block's query parameters, used by the page hook (wagtail_hooks.py) before the article is served
and by the `comment_block` template tag that renders it.

The page cache keeps a 200 answer for each value of these parameters, so only the spellings our
own links write answer 200 (core/canonical_params.py):

- `cpage`: a comment page 2..last, digits without a leading zero. `cpage=1` redirects to the URL
  without it; any other value, or a page past the last, is a 404.
- `corder`: `newest`. `corder=oldest` (the default) redirects to the URL without it; anything
  else is a 404.
- `reply`: the id of a comment readers see on this article. A reply's id redirects to its
  thread's top-level comment (replies are one level deep); any other value is a 404.
- `comment`: `received` (the POST-redirect-GET landing) only; anything else is a 404.

A parameter given twice is a 404; several respellings at once make one redirect.
"""

from dataclasses import dataclass

from django.http import Http404

from healthpress.core.canonical_params import Respelled, single_value, whole_number

from .counts import visible_counts
from .models import Comment

PARAMS = ("comment", "corder", "cpage", "reply")
PER_PAGE = 50  # top-level comments on one page of the block


@dataclass(frozen=True)
class BlockState:
    page_number: int = 1
    newest_first: bool = False
    replying_to: Comment | None = None  # a top-level comment readers see on the article
    received: bool = False  # the "awaiting moderation" notice of the POST-redirect-GET landing


def page_count(top_level):
    """Pages of the block for `top_level` visible top-level comments (one when there are none)."""
    return max(1, -(-top_level // PER_PAGE))


def read_block_state(article, query):
    """The block state that `query` (request.GET) asks for on `article`.

    Raises Respelled when the state has another spelling, Http404 when the query names none.
    Costs a query only for `cpage` (the count) and `reply` (the comment).
    """
    changes = {}
    comment = single_value(query, "comment")
    if comment not in (None, "received"):
        raise Http404("Unknown comment notice")
    order = single_value(query, "corder")
    if order == "oldest":
        changes["corder"] = None
    elif order not in (None, "newest"):
        raise Http404("Unknown comment order")
    page_text = single_value(query, "cpage")
    page_number = 1 if page_text is None else whole_number(page_text)
    if page_text == "1":
        changes["cpage"] = None
    elif page_number > 1 and page_number > page_count(visible_counts(article.pk)[1]):
        raise Http404("No such page of comments")
    reply_text = single_value(query, "reply")
    replying_to = None
    if reply_text is not None:
        replying_to = (
            Comment.objects.visible().filter(pk=whole_number(reply_text), article=article).first()
        )
        if replying_to is None:
            raise Http404("No such comment to reply to")
        if replying_to.parent_id:
            changes["reply"] = str(replying_to.parent_id)
    if changes:
        raise Respelled(changes)
    return BlockState(page_number, order == "newest", replying_to, comment == "received")
