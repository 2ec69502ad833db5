"""One spelling per page state: the query parameters the page cache keeps, checked before a page
is rendered.

The page cache stores a 200 answer for each query made of the parameter names in
PAGE_CACHE_QUERY_PARAMS, whatever their values, so a page may answer 200 only to the one
spelling its own links use. Another spelling of the same state (`?page=1`, the bare URL's twin)
gets a permanent redirect to it; a value that names nothing (`?page=abc`, `?page=02`, a page
past the last, a repeated parameter, a kept parameter the page does not use) gets a 404. Neither
is stored, so random values cannot fill the cache. Parameters the cache does not keep
(`utm_source` and the like) are left alone: the cache never stores a request that carries them,
and a redirect passes them on.

Pages say which kept parameters they use: a page model's `query_params`, plus what apps above
core add for a page through the `register_page_query_params` Wagtail hook (`fn(page)` returns
names), e.g. the comment block's parameters on an article. Each parameter's values are checked by
the app that reads them (listing pages here, the comment block in comments/block_state.py).
"""

import functools
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from wagtail import hooks

# A whole number as our links write it: no sign, no leading zero, no spaces, ASCII digits only
# (int() also reads "+2", " 2 ", "0002" and "٢"). 18 digits stay inside a 64-bit database id.
_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,17}")


class Respelled(Exception):
    """The query asks for a state that has another, canonical spelling.

    `changes` maps parameter names to their canonical value, or to None where the canonical URL
    leaves the parameter out.
    """

    def __init__(self, changes):
        super().__init__(changes)
        self.changes = changes


def single_value(query, name):
    """The one value of `name` in `query` (a QueryDict), None when absent; Http404 when repeated:
    `?cpage=2&cpage=3` asks for no one state."""
    values = query.getlist(name)
    if len(values) > 1:
        raise Http404(f"{name} given more than once")
    return values[0] if values else None


def whole_number(text):
    """The positive whole number `text` spells in canonical form; Http404 for anything else."""
    if not _WHOLE_NUMBER.fullmatch(text):
        raise Http404("Not a page or comment number")
    return int(text)


def reject_unused(query, used):
    """Http404 when `query` carries a parameter the page cache keeps that the page does not use."""
    kept = set(settings.PAGE_CACHE_QUERY_PARAMS) - set(used)
    unused = [name for name in query if name in kept]
    if unused:
        raise Http404(f"This page takes no {unused[0]} parameter")


def listing_page_number(query):
    """The listing page `?page=` asks for: 1 when absent; Http404 unless a canonical number.
    (Whether the page exists is the Paginator's question: see core/models.paginate.)"""
    text = single_value(query, "page")
    return 1 if text is None else whole_number(text)


def check_page_query(query, used=("page",)):
    """Http404 for a kept parameter outside `used` and for a listing's `page` that is not a page
    number; Respelled for `page=1`, which is the bare URL. The values of other parameters in
    `used` are for the app that reads them to check."""
    reject_unused(query, used)
    if "page" in used and listing_page_number(query) == 1 and "page" in query:
        raise Respelled({"page": None})


def page_query_params(page):
    """The kept parameters a Wagtail page uses: its class's `query_params`, and what apps above
    core register for it with the `register_page_query_params` hook."""
    names = set(getattr(page, "query_params", ()))
    for fn in hooks.get_hooks("register_page_query_params"):
        names.update(fn(page))
    return names


def respelled_url(path, query, changes):
    """`path` with `query`'s parameters, `changes` applied, sorted by name (values of a repeated
    name keep their order)."""
    pairs = [(name, value) for name, value in query.lists() if name not in changes]
    pairs = [(name, value) for name, values in pairs for value in values]
    pairs += [(name, value) for name, value in changes.items() if value is not None]
    pairs.sort(key=lambda pair: pair[0])
    return f"{path}?{urlencode(pairs)}" if pairs else path


def canonical_redirect(request, check):
    """None when `check()` accepts the request's query; a permanent redirect to the canonical
    URL when it raises Respelled. Http404 from `check` goes on to Django's 404 page."""
    try:
        check()
    except Respelled as respelled:
        return HttpResponsePermanentRedirect(
            respelled_url(request.path, request.GET, respelled.changes)
        )
    return None


def canonical_query(*used):
    """Decorator for a Django view that uses the kept parameters `used` (a listing's `page`, or
    none): the checks of `check_page_query` before the view runs."""

    def decorate(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            redirect = canonical_redirect(request, lambda: check_page_query(request.GET, used))
            return redirect or view(request, *args, **kwargs)

        return checked

    return decorate
