"""/embed/<article id>/: the part of an article a partner frames in its own page: the short
answer, the "when to see a doctor" and urgent care cards, the review date, the disclaimer, the
attribution and a link back. No script, one small stylesheet from this site, nothing from
another host. An iframe sends no key, so it is as public as the article page itself, and the
page cache keeps it and purges it with the article (purge_rules.py).

Framing: the site forbids it everywhere (`frame-ancestors 'none'`, `X-Frame-Options: DENY`).
This path alone replaces that with the origins API_EMBED_FRAME_ANCESTORS lists (none by default,
and then the site-wide refusal stays), through django-csp's per-view decorator.
"""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from healthpress.core.site import site_root_url

from . import data
from .blocks import Context, serialise

CARE_BLOCKS = ("see_doctor", "urgent")


def framable_by_allowed_origins(view):
    """Let the origins in API_EMBED_FRAME_ANCESTORS frame the view, and nobody else."""

    def wrapped(request, *args, **kwargs):
        origins = settings.API_EMBED_FRAME_ANCESTORS
        if not origins:
            return view(request, *args, **kwargs)
        allowed = csp_replace({"frame-ancestors": list(origins)})(xframe_options_exempt(view))
        response = allowed(request, *args, **kwargs)
        # A framing page that isolates itself (COEP) may only load what allows it.
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return wrapped


def care_cards(page, request):
    context = Context(site_root_url(request))
    cards = []
    for bound in page.body:
        if bound.block_type in CARE_BLOCKS:
            fields = serialise(bound.block, bound.value, context).data
            level = fields.get("level") or bound.block_type
            # nh3 has already cleaned it to the allow-list of blocks.py.
            html = mark_safe(fields["text"]["html"])  # noqa: S308
            cards.append({"kind": level, "heading": fields["heading"], "html": html})
    return cards


@require_safe
@framable_by_allowed_origins
def embed(request, article_id):
    try:
        page = data.find_article(article_id)
    except data.Withdrawn:
        return render(request, "api/embed_withdrawn.html", status=410)
    if page is None:
        raise Http404("No live article with this id")
    url = page.get_full_url(request)
    terms = data.terms_for(request)
    context = {
        "page": page,
        "url": url,
        "cards": care_cards(page, request),
        "disclaimer": data.disclaimer_for(request),
        "attribution": data.attribution(page, url, terms),
        "terms": terms,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    return render(request, "api/embed.html", context)
