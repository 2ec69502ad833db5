"""Public comment views: the form POST, the commenter's confirm link, and the old moderation
links from email (now a redirect to the admin)."""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from healthpress.core.clients import client_ip, client_key, truncated_ip
from healthpress.core.ratelimit import over_limit, retry_after
from healthpress.core.security import public_form

from . import links
from .forms import CommentForm
from .models import Comment, Status
from .submission import open_article, submit_comment

RECEIVED_FLAG = "comment=received"


def rate_limits():
    return getattr(settings, "COMMENTS_RATE_LIMITS", [(5, 60), (30, 86400)])


def landing_url(article):
    """POST-redirect-GET target: one fixed URL per article, the same for everyone, so it can be
    cached like the article itself while showing the "awaiting moderation" notice."""
    return f"{article.url}?{RECEIVED_FLAG}#comments"


def render_article_with_form(request, article, form, status):
    """The article page again, its comment form showing the errors and the reader's own text."""
    request.comment_form = form
    article = article.__class__.objects.get(pk=article.pk)  # every field, for the full page
    form.article = article
    response = article.serve(request)
    if hasattr(response, "render"):
        response.render()
    response.status_code = status
    return response


@never_cache
@public_form
@require_POST
def post_comment(request):
    article = open_article(request.POST.get("page"))
    if article is None:
        return render(request, "comments/no_article.html", status=404)

    form = CommentForm(request.POST, article=article)
    limits = rate_limits()
    if limits and over_limit("comments", client_key(request), limits):
        response = render(
            request, "comments/rate_limited.html", {"form": form, "article": article}, status=429
        )
        response["Retry-After"] = str(retry_after(limits))
        return response
    if not form.is_valid():
        return render_article_with_form(request, article, form, status=400)

    submit_comment(
        article,
        form,
        ip_network=truncated_ip(client_ip(request)),
        user_agent=request.headers.get("User-Agent", ""),
    )
    # The same landing whatever the spam checks said: no hint to bots.
    return redirect(landing_url(article))


@never_cache
@csrf_exempt  # it changes nothing: a forged POST can only be redirected like the GET
@require_http_methods(["GET", "POST"])
def moderate_by_link(request, token):
    """An approve/reject link mailed before moderation needed a login. It decides nothing any
    more, GET or POST: a valid one sends its holder to the comment's page in the admin, which asks
    for a sign-in and a moderator; an expired one says so (410); anything else is a 404."""
    try:
        comment_id = links.read_moderation_token(token)
    except signing.SignatureExpired:
        return render(request, "comments/moderate_link.html", status=410)
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise Http404("No such link") from None
    return redirect("comments_detail", pk=comment_id)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_by_link(request, token):
    """A returning commenter publishes their own comment by proving they own the address."""
    try:
        comment_id, address = links.read_confirm_token(token)
    except signing.SignatureExpired:
        return render(request, "comments/confirm_link.html", {"problem": "expired"}, status=410)
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise Http404("No such link") from None
    comment = Comment.objects.filter(pk=comment_id, email__iexact=address).first()
    context = {"comment": comment, "done": False, "problem": ""}
    if comment is None or comment.status != Status.PENDING:
        context["problem"] = "decided"
    elif request.method == "POST":
        comment.approve(via="confirmed by commenter")
        context["done"] = True
    return render(request, "comments/confirm_link.html", context)
