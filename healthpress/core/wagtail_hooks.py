"""Every Wagtail page answers 200 only to the canonical spelling of its query (see
core/canonical_params.py): kept parameters it does not use are a 404, and a listing's `page`
must be a page number our links write (`page=1` redirects to the bare URL)."""

from wagtail import hooks

from .canonical_params import canonical_redirect, check_page_query, page_query_params


# An `on_serve_page` hook placed inside Wagtail's view-restriction check (order 0), so that a
# private page asks for a login before anything is said about its query (a before_serve_page
# hook would run first and tell anyone which pages of comments exist).
@hooks.register("on_serve_page", order=10)
def only_canonical_queries(serve):
    def checked(page, request, serve_args, serve_kwargs):
        if request.GET:
            used = page_query_params(page)
            redirect = canonical_redirect(request, lambda: check_page_query(request.GET, used))
            if redirect is not None:
                return redirect
        return serve(page, request, serve_args, serve_kwargs)

    return checked
