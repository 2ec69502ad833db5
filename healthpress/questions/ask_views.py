"""The public /ask/ pages: the question form, its "already answered?" step, the landings, and
the asker's email confirmation. Thin views over forms.py, asking.py and confirmation.py.

One URL takes every POST of the form; its `action` button says which step it is:

- "check" (the first step, also anything unknown): validate, then show the site's best matches
  with their short answers, and what the reader typed in hidden fields. Nothing is stored.
- "edit": the form again with everything typed, to change it.
- "found" ("This answers my question"): one more in today's AlreadyAnsweredCount, nothing else.
- "ask" ("Ask anyway" / "Send my question"): validate the hidden copy again (it is never
  trusted), store the question, and redirect (303) to the landing.

GET /ask/ is the same page for everyone (its fill-time token says when the page was rendered, as
the comment form's does on cached articles), so the page cache may keep it; every response to a
POST, the landings and the confirmation pages carry Cache-Control: private, no-store and are
never cached. Questions themselves appear on none of these pages but the asker's own POST.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from healthpress.core.cleaning import clean_line
from healthpress.core.clients import client_key
from healthpress.core.fill_token import fill_token
from healthpress.core.ratelimit import over_limit, retry_after
from healthpress.core.responses import private, see_other
from healthpress.core.security import public_form

from . import confirmation
from .asking import (
    FILL_SCOPE,
    already_answered,
    ask_question,
    renewed_fill_token,
    urgent_terms,
)
from .asking import (
    confirm_email as confirm_address,
)
from .forms import EMAIL_MAX, QUESTION_MIN, AskForm, consent_wording
from .matching import matching_articles
from .models import DETAILS_MAX, QUESTION_MAX

URGENT_FLAG = "urgent"
CONFIRM_TEMPLATE = "questions/ask/confirm_email.html"


def sent_url(urgent):
    url = reverse("questions:sent")
    return f"{url}?{URGENT_FLAG}=1" if urgent else url


def emergency_context(flags):
    return {"red_flags": flags, "emergency_number": settings.EMERGENCY_NUMBER}


def form_page(request, form, status=200, **extra):
    context = {
        "form": form,
        "consent_wording": consent_wording(),
        "question_min": QUESTION_MIN,
        "question_max": QUESTION_MAX,
        "details_max": DETAILS_MAX,
        "details_max_text": f"{DETAILS_MAX:,}",
        "email_max": EMAIL_MAX,
        "emergency_number": settings.EMERGENCY_NUMBER,
        **extra,
    }
    return render(request, "questions/ask/form.html", context, status=status)


def rate_limited(request, form, limits):
    """A readable 429 that keeps everything typed, ready to send again later."""
    response = form_page(request, form, status=429, rate_limited=True)
    response["Retry-After"] = str(retry_after(limits))
    return response


@public_form
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    if request.method != "POST":
        # ?q= comes from the search page when it found nothing: the reader's words, prefilled.
        prefill = clean_line(request.GET.get("q", ""))[:QUESTION_MAX]
        initial = {"question": prefill, "started": fill_token(FILL_SCOPE)}
        response = form_page(request, AskForm(initial=initial), indexable=True)
        if request.GET:
            private(response)  # never cached anyway (a query the page cache does not key)
        return response
    action = request.POST.get("action", "check")
    handler = {"edit": edit, "found": found, "ask": send}.get(action, check)
    return private(handler(request, AskForm(request.POST)))


def check(request, form):
    """Step one: validate, then show the matches. The matches are a search of the site, limited
    per network as searches are (SEARCH_RATE_LIMITS)."""
    limits = settings.SEARCH_RATE_LIMITS
    if limits and over_limit("questions-matches", client_key(request), limits):
        return rate_limited(request, form, limits)
    if not form.is_valid():
        return form_page(request, form, status=400)
    data = form.cleaned_data
    text = f"{data['question']}\n{data['details']}".strip()
    carried = {**form.carried, "started": renewed_fill_token(data.get("started"))}
    context = {
        "carried": carried,
        "question": data["question"],
        "details": data["details"],
        "topic": data.get("topic"),
        "email": data["email"],
        "matches": matching_articles(text),
        **emergency_context(urgent_terms(data["question"], data["details"])),
    }
    return render(request, "questions/ask/matches.html", context)


def edit(request, form):
    """Back from the matches to the form, with everything typed."""
    if not form.is_valid():
        return form_page(request, form, status=400)
    return form_page(request, AskForm(initial=form.carried))


def found(request, form):
    """The reader's "This answers my question": one more in today's count, nothing else kept."""
    limits = settings.QUESTIONS_RATE_LIMITS
    if not (limits and over_limit("questions-found", client_key(request), limits)):
        already_answered(request.POST)
    return see_other(reverse("questions:found"))


def send(request, form):
    """The last step: the hidden copy is validated again, then the question is stored. An
    automated submission (asking.looks_automated) is dropped, and gets the same redirect."""
    limits = settings.QUESTIONS_RATE_LIMITS
    if limits and over_limit("questions", client_key(request), limits):
        return rate_limited(request, form, limits)
    if not form.is_valid():
        return form_page(request, form, status=400)
    data = form.cleaned_data
    question = ask_question(data)
    urgent = question.flagged if question else bool(urgent_terms(data["question"], data["details"]))
    return see_other(sent_url(urgent))


@require_http_methods(["GET", "HEAD"])
def sent(request):
    """The landing after "Send my question": the same for everyone. The urgent care card comes
    first when the question matched a red-flag term (the flag is in the address, nothing else)."""
    urgent = request.GET.get(URGENT_FLAG) == "1"
    context = {
        "urgent": urgent,
        "emergency_number": settings.EMERGENCY_NUMBER,
        "consent_wording": consent_wording(),
        "confirmations_per_day": settings.QUESTIONS_CONFIRMATIONS_PER_DAY,
    }
    return private(render(request, "questions/ask/sent.html", context))


@require_http_methods(["GET", "HEAD"])
def found_landing(request):
    context = {"emergency_number": settings.EMERGENCY_NUMBER}
    return private(render(request, "questions/ask/found.html", context))


@public_form
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request, token):
    """The link in the confirmation email. GET shows one button (mail scanners follow links
    with GET); its POST confirms the address. Expired: 410; forged or malformed: 404."""
    try:
        question = confirmation.question_for(token)
    except signing.SignatureExpired:
        context = {"problem": "expired"}
        return private(render(request, CONFIRM_TEMPLATE, context, status=410))
    except signing.BadSignature:
        raise Http404("No such link") from None
    context = {"problem": "", "done": False, "already": False}
    status = 200
    if question is None:  # the address was erased or changed since the link was sent
        context["problem"] = "gone"
        status = 410
    elif question.email_confirmed_at is not None and request.method != "POST":
        context["already"] = True
    elif request.method == "POST":
        confirm_address(question)
        context["done"] = True
    return private(render(request, CONFIRM_TEMPLATE, context, status=status))
