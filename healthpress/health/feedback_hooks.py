"""Was this page helpful? On the site: the article's `feedback` query parameter, accepted in the
spellings our redirects write only (feedback.read_state), so the page cache keeps one copy of each
thank-you state and no other (core/canonical_params.py)."""

from wagtail import hooks

from healthpress.articles.models import ArticlePage
from healthpress.core.canonical_params import canonical_redirect

from .feedback import PARAM, read_state


@hooks.register("register_page_query_params")
def feedback_params(page):
    return (PARAM,) if isinstance(page, ArticlePage) else ()


# Inside Wagtail's view-restriction check (order 0), as core/wagtail_hooks.py explains.
@hooks.register("on_serve_page", order=10)
def canonical_feedback_urls(serve):
    """A 404 for an article URL whose `feedback` value is not one of the states."""

    def checked(page, request, serve_args, serve_kwargs):
        if PARAM in request.GET and isinstance(page, ArticlePage):
            redirect = canonical_redirect(request, lambda: read_state(request.GET))
            if redirect is not None:
                return redirect
        return serve(page, request, serve_args, serve_kwargs)

    return checked
