"""Every Wagtail page answers 200 only to the canonical spelling of its query (see
core/canonical_params.py): kept parameters it does not use are a 404, and a listing's `page`
must be a page number our links write (`page=1` redirects to the bare URL). Also: the admin's
list of locked-out logins, and the two-step sign-in pages (two_factor.py)."""

from axes.models import AccessAttempt
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from . import two_factor_views
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


class LoginLockoutViewSet(ModelViewSet):
    """django-axes' record of failed admin logins, under Settings: who is locked out, from
    where, since when. Deleting a record unlocks that username and address at once (as
    `manage.py axes_reset_username NAME` does)."""

    model = AccessAttempt
    icon = "lock"
    menu_label = "Login lockouts"
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    form_fields = ["username", "ip_address", "failures_since_start"]


@hooks.register("register_admin_viewset")
def register_login_lockouts():
    return LoginLockoutViewSet("login_lockouts")


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", two_factor_views.manage, name="two_factor_manage"),
        path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
        path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
        path(
            "two-factor/recovery-codes/",
            two_factor_views.new_recovery_codes,
            name="two_factor_recovery_codes",
        ),
        path("two-factor/turn-off/", two_factor_views.turn_off, name="two_factor_turn_off"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_manage"),
        "label": "Two-step sign-in",
        "help_text": "An authenticator app and recovery codes for signing in.",
    }
