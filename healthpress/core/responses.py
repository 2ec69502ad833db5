"""Responses every public form's views share."""

from functools import wraps

from django.http import HttpResponseRedirect
from django.utils.cache import add_never_cache_headers


def see_other(url):
    """POST-redirect-GET: a 303, which the browser follows with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def private(response):
    """For pages with a reader's token or personal state: never cached (by the page cache or
    anyone), never indexed, no Referer onwards (a token in the address is a credential)."""
    add_never_cache_headers(response)  # private, no-store, max-age=0, ...
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def private_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return private(view(request, *args, **kwargs))

    return wrapped
