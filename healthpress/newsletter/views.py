"""Thin views over subscriptions.py. Pages with a token in the address are private: not cached,
not indexed, and they send no Referer onwards (the token is the reader's credential). They name
nobody in full: the preference and confirm pages show the address masked, the unsubscribe pages
not at all (tokens.py says what each link carries and how long it works)."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from healthpress.core.clients import client_ip, client_key, truncated_ip
from healthpress.core.ratelimit import over_limit, retry_after
from healthpress.core.responses import private_page, see_other
from healthpress.core.security import public_form

from . import links, subscriptions, tokens
from .forms import PreferencesForm, SubscribeForm, has_header_injection
from .models import Subscriber

# Per client network: a few tries a minute, a handful an hour. Enough for a person, not a bot.
SUBSCRIBE_LIMITS = [(5, 60), (20, 3600)]


def bad_input(request):
    context = {"form": SubscribeForm(), "header_injection": True}
    return render(request, "newsletter/subscribe.html", context, status=400)


def bad_link(request, error):
    """An expired link offers to email a new one (nothing to type: the token still names the
    subscriber); any other broken link, the form that sends one to a typed address."""
    context = {"expired": error.expired, "form": SubscribeForm()}
    return render(request, "newsletter/bad_link.html", context, status=400)


def refused_link(request, error):
    """A confirm or preference token that did not pass: the "email me a new link" button of an
    expired one posts here. The answer is the same whether or not anything was sent, so it
    tells nobody whether the address still gets the newsletter."""
    asked = request.method == "POST" and request.POST.get("action") == "new-link"
    if not (error.expired and asked):
        return bad_link(request, error)
    if over_limit("newsletter-new-link", client_key(request), SUBSCRIBE_LIMITS):
        response = render(request, "newsletter/rate_limited.html", status=429)
        response["Retry-After"] = str(retry_after(SUBSCRIBE_LIMITS))
        return response
    subscriptions.send_new_link(error.subscriber)
    return render(request, "newsletter/new_link_sent.html")


@public_form
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The sign-up box posts here. The answer never says whether the address was known."""
    if request.method != "POST":
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})
    if over_limit("newsletter-subscribe", client_key(request), SUBSCRIBE_LIMITS):
        response = render(request, "newsletter/rate_limited.html", status=429)
        response["Retry-After"] = str(retry_after(SUBSCRIBE_LIMITS))
        return response
    if has_header_injection(request.POST):
        return bad_input(request)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    network = truncated_ip(client_ip(request))
    subscriptions.subscribe(form.cleaned_data["email"], ip_network=network)
    return see_other(reverse("newsletter:check_email"))


@require_http_methods(["GET", "HEAD"])
def check_email(request):
    return render(request, "newsletter/check_email.html")


@private_page
@public_form
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows one button (link scanners only GET); its POST confirms and saves the optional
    choices, then lands on the preference page."""
    try:
        subscriber = tokens.read_token(token, tokens.CONFIRM)
    except tokens.BadToken as error:
        return refused_link(request, error)
    manage_url = links.preferences_path(subscriber)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return see_other(manage_url)
    if request.method == "POST":
        if has_header_injection(request.POST):
            return bad_input(request)
        form = PreferencesForm(request.POST)
        if subscriptions.confirm(subscriber) and form.is_valid():
            form.save(subscriber)
        return see_other(manage_url + "?welcome=1")
    form = PreferencesForm(initial=PreferencesForm.initial_for(subscriber))
    return render(request, "newsletter/confirm.html", {"form": form, "subscriber": subscriber})


@private_page
@public_form
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    try:
        subscriber = tokens.read_token(token, tokens.PREFERENCES)
    except tokens.BadToken as error:
        return refused_link(request, error)
    status = 200
    if request.method == "POST":
        if has_header_injection(request.POST):
            return bad_input(request)
        form = PreferencesForm(request.POST)
        if form.is_valid():
            form.save(subscriber)
            return see_other(request.path + "?saved=1")
        status = 400
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_for(subscriber))
    context = {
        "form": form,
        "subscriber": subscriber,
        "receiving": subscriber.status == Subscriber.Status.CONFIRMED,
        "saved": request.GET.get("saved") == "1",
        "welcome": request.GET.get("welcome") == "1",
        "unsubscribe_url": links.unsubscribe_path(subscriber),
    }
    return render(request, "newsletter/preferences.html", context, status=status)


# No cross-site check here: RFC 8058 one-click unsubscribe is POSTed by mail providers from
# anywhere, and the signed key is the whole credential. A GET never unsubscribes. Both pages
# are the same whoever the link is for and whatever their state: they name nobody, and offer
# no way into the preferences (the link never expires; a preference link does).
@private_page
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = tokens.read_unsubscribe_token(token)
    except tokens.BadToken as error:
        return bad_link(request, error)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html")
