"""The two POSTs of "Was this page helpful?": the vote and the "What was missing?" note. Thin
views over feedback.py.

Both are plain forms on cached article pages, so they carry no CSRF token: core.security's
public_form refuses cross-site POSTs (403), multipart bodies (415) and large ones (413). Each
answers with a 303 to one of the article's thank-you states, the same address for every reader,
which the page cache keeps like the article itself. A vote changes no page, so nothing is purged.

Rate limits (core/ratelimit, per network): the one-vote rule is the unique constraint in the
database, enough on its own for the counts; FEEDBACK_VOTE_RATE_LIMITS only keeps a flood from
writing a row per request (an extra request gets the same thank-you, no hint). Notes are limited
by FEEDBACK_MISSING_RATE_LIMITS to a few a day per network, with a readable 429.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from healthpress.core.clients import client_key
from healthpress.core.ratelimit import over_limit, retry_after
from healthpress.core.responses import private, see_other
from healthpress.core.security import public_form

from . import feedback
from .forms import MissingForm
from .models import MISSING_MAX

VOTE_LIMITS = [(20, 60), (200, 86400)]
MISSING_LIMITS = [(2, 60), (5, 86400)]
ANSWERS = {"yes": True, "no": False}


def vote_limits():
    return getattr(settings, "FEEDBACK_VOTE_RATE_LIMITS", VOTE_LIMITS)


def missing_limits():
    return getattr(settings, "FEEDBACK_MISSING_RATE_LIMITS", MISSING_LIMITS)


def article_or_404(article_id):
    article = feedback.open_article(article_id)
    if article is None:
        raise Http404("No such article")
    return article


def problem(request, article, message, status, **extra):
    context = {"article": article, "message": message, "max_chars": MISSING_MAX, **extra}
    return private(render(request, "health/feedback_problem.html", context, status=status))


@never_cache
@public_form
@require_POST
def vote(request, article_id):
    article = article_or_404(article_id)
    answer = request.POST.get("answer")
    if answer not in ANSWERS:
        return problem(request, article, "Please choose Yes or No.", 400)
    network = client_key(request)
    limits = vote_limits()
    if not (limits and over_limit("feedback-votes", network, limits)):
        feedback.record_vote(article, ANSWERS[answer], network)
    state = feedback.THANKS if ANSWERS[answer] else feedback.MISSING
    return see_other(feedback.state_url(article, state, request))


@never_cache
@public_form
@require_POST
def missing(request, article_id):
    article = article_or_404(article_id)
    form = MissingForm(request.POST)
    if not form.is_valid():
        if not request.POST.get("text", "").strip():  # sent empty: back to the box
            return see_other(feedback.state_url(article, feedback.MISSING, request))
        return problem(request, article, form.errors["text"][0], 400, text=request.POST["text"])
    limits = missing_limits()
    if limits and over_limit("feedback-missing", client_key(request), limits):
        response = problem(
            request,
            article,
            "We have received several notes from your network today. Please try again tomorrow.",
            429,
        )
        response["Retry-After"] = str(retry_after(limits))
        return response
    feedback.record_missing(article, form.cleaned_data["text"])
    return see_other(feedback.state_url(article, feedback.NOTED, request))
