"""The admin's two-step pages: set up an authenticator app, enter a code, manage recovery codes;
and what answers at Wagtail's other password forms.

Wagtail's admin URL hooks wrap the two-step pages in its sign-in check; two_factor.py says who
must pass them.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            {"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _grouped(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    # A password alone must never replace an authenticator: that is what the second step is for.
    if two_factor.user_has_device(user) and not user.is_verified():
        return redirect(reverse("two_factor_verify") + "?" + request.GET.urlencode())
    device = two_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes, wait = two_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is not None:
            return TemplateResponse(
                request,
                "signin/two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        if wait:
            form.add_error("code", f"Too many wrong codes. Wait {wait} seconds and try again.")
        else:
            form.add_error("code", "That code does not match. Check the phone's clock and retry.")
    secret = two_factor.authenticator_secret(device)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": _grouped(secret),
        "qr_svg": qr.svg_inline(scale=5, dark="#000", light="#fff", title="QR code to scan"),
        "required": two_factor.must_use_two_factor(user),
    }
    status = 200
    if form.is_bound:
        status = 429 if "Wait" in str(form.errors) else 400
    return TemplateResponse(request, "signin/two_factor/setup.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if not two_factor.must_use_two_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.user_has_device(user):
        return redirect(reverse("two_factor_setup") + "?" + request.GET.urlencode())
    form = CodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        device, wait = two_factor.verify(request, form.cleaned_data["code"])
        if device is not None:
            if device.name == two_factor.RECOVERY_DEVICE_NAME:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. "
                    "Make new ones under Account, Two-step verification.",
                )
            return redirect(_next_url(request))
        if wait:
            status = 429
            form.add_error("code", f"Too many wrong codes. Wait {wait} seconds and try again.")
        else:
            status = 400
            form.add_error("code", "That code is not right, or it was already used.")
    elif form.is_bound:
        status = 400
    return TemplateResponse(
        request,
        "signin/two_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@never_cache
def manage(request):
    user = request.user
    return TemplateResponse(
        request,
        "signin/two_factor/manage.html",
        {
            "has_authenticator": two_factor.has_authenticator(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "required": settings.ADMIN_TWO_FACTOR and two_factor.must_use_two_factor(user),
        },
    )


@never_cache
@require_POST
def new_recovery_codes(request):
    if not two_factor.has_authenticator(request.user):
        return redirect("two_factor_setup")
    codes = two_factor.new_recovery_codes(request.user)
    return TemplateResponse(
        request,
        "signin/two_factor/recovery_codes.html",
        {"codes": codes, "next": reverse("two_factor_manage"), "first_time": False},
    )


@never_cache
@require_POST
def turn_off(request):
    user = request.user
    two_factor.reset(user)
    if two_factor.must_use_two_factor(user):
        messages.warning(request, "Your account needs two-step sign-in: set up a new app now.")
        return redirect("two_factor_setup")
    messages.success(request, "Two-step sign-in is off for your account.")
    return redirect("two_factor_manage")


def front_end_login(request):
    """Wagtail's front-end login (/_util/login/) would give a session for a password alone. The
    site has one sign-in, the admin's, which leads to the second step: login-restricted pages
    send readers there (WAGTAIL_FRONTEND_LOGIN_URL), and an old link or a form posted here lands
    there too, with nothing signed in."""
    target = reverse("wagtailadmin_login")
    if next_url := request.GET.get("next"):
        target += "?" + urlencode({"next": next_url})  # the admin's form checks it is ours
    return redirect(target)


def no_shared_passwords(request, **kwargs):
    """Wagtail's shared-password form for a private page or collection: one password for
    everyone, with no account, no lockout and no second step. The option is off
    (WAGTAIL_PRIVATE_PAGE_OPTIONS, WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS) and the form's
    address answers 404, so such a restriction made earlier keeps its page closed."""
    raise Http404("Shared passwords are turned off on this site.")
