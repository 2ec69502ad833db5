"""The admin's "API keys" page (Settings → API keys): create a partner's key (shown once),
see when each key was last used and how many requests it made per day, revoke it.

Wagtail's own API-token pages come with its API v3 app, which this project does not install
(endpoints.py says why), and they would list staff tokens beside partners'. These pages show
partner keys only and ask Wagtail's APIToken permissions: `add_apitoken` to create,
`delete_apitoken` to revoke, `view_apitoken` to look (superusers have all three). Requests are
counted in the cache (usage.py); each page flushes the counters first, so the figures are exact.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import usage
from .keys import create_key, partner_tokens, revoke_key

VIEW, ADD, REVOKE = (f"wagtailcore.{action}_apitoken" for action in ("view", "add", "delete"))
HISTORY_DAYS = 30


def forbidden(request):
    # A 403 response, not PermissionDenied: Wagtail's admin would turn that into a redirect.
    return TemplateResponse(request, "api/admin/forbidden.html", status=403)


class KeyForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Partner",
        help_text="Whose key this is, e.g. “Riverside GP practice website”.",
    )


def keys_with_usage():
    tokens = partner_tokens()
    usage.flush(list(tokens.values_list("pk", flat=True)))
    today = timezone.localdate()
    week = today - timedelta(days=6)
    return tokens.annotate(
        requests_today=Sum("partner_usage__requests", filter=Q(partner_usage__day=today)),
        requests_week=Sum("partner_usage__requests", filter=Q(partner_usage__day__gte=week)),
    ).order_by("revoked_at", "name", "pk")


@require_http_methods(["GET", "POST"])
def index(request):
    if not request.user.has_perm(VIEW):
        return forbidden(request)
    may_add = request.user.has_perm(ADD)
    form = KeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_add:
            return forbidden(request)
        if form.is_valid():
            token, plaintext = create_key(form.cleaned_data["name"])
            context = {"token": token, "plaintext": plaintext}
            return TemplateResponse(request, "api/admin/created.html", context)
    context = {"keys": keys_with_usage(), "form": form if may_add else None}
    return TemplateResponse(request, "api/admin/index.html", context)


def detail(request, pk):
    if not request.user.has_perm(VIEW):
        return forbidden(request)
    token = get_object_or_404(partner_tokens(), pk=pk)
    usage.flush([token.pk])
    since = timezone.localdate() - timedelta(days=HISTORY_DAYS - 1)
    days = token.partner_usage.filter(day__gte=since).order_by("-day")
    context = {"token": token, "days": days, "may_revoke": request.user.has_perm(REVOKE)}
    return TemplateResponse(request, "api/admin/detail.html", context)


@require_POST
def revoke(request, pk):
    if not request.user.has_perm(REVOKE):
        return forbidden(request)
    token = get_object_or_404(partner_tokens(), pk=pk)
    revoke_key(token)
    messages.success(request, f"The key of “{token.name}” is revoked: it opens nothing any more.")
    return redirect("api_keys:index")
