"""Template helpers for trust signals: citations, references, structured data, social tags,
feed links and the editorial policy link."""

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from ..citations import link_citations
from ..review import review_settings_for
from ..structured_data import article_data, json_ld_script, web_url

register = template.Library()


class CitationsNode(template.Node):
    def __init__(self, nodelist, count):
        self.nodelist, self.count = nodelist, count

    def render(self, context):
        try:
            count = int(self.count.resolve(context))
        except (TypeError, ValueError):
            count = 0
        return link_citations(self.nodelist.render(context), count)


@register.tag
def citations(parser, token):
    """{% citations reference_count %}…{% endcitations %}: link the [n] markers inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("citations takes the number of references")
    nodelist = parser.parse(("endcitations",))
    parser.delete_first_token()
    return CitationsNode(nodelist, parser.compile_filter(bits[1]))


@register.filter
def end_sentence(text):
    """Text ending in a full stop, unless it already ends in punctuation."""
    text = str(text).strip()
    return text if not text or text[-1] in ".?!" else f"{text}."


register.filter("web_url", web_url)


@register.simple_tag(takes_context=True)
def article_json_ld(context):
    page = context.get("page")
    if page is None:
        return ""
    return json_ld_script(article_data(page, context.get("request"), context.get("topic")))


@register.simple_tag(takes_context=True)
def share_image(context, page):
    """The lead image as link previews take it (JPEG, absolute URL on the Site), or None."""
    from ..renditions import share_image as shared

    return shared(page, context.get("request"))


@register.simple_tag(takes_context=True)
def social_title(context):
    page = context.get("page")
    if page is not None:
        return page.seo_title or page.title
    person = context.get("person")
    if person is not None:
        return person.display_name
    return settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def social_description(context):
    page = context.get("page")
    person = context.get("person")
    text = ""
    if page is not None:
        text = (
            page.search_description
            or getattr(page, "short_answer", "")
            or getattr(page, "intro", "")
        )
    elif person is not None:
        text = person.bio
    return truncatechars(text, 300) if text else ""


@register.inclusion_tag("articles/includes/topic_feed_links.html")
def topic_feed_links(topic):
    if topic is None:
        return {}
    return {
        "topic": topic,
        "rss": reverse("feeds:topic_rss", kwargs={"topic_slug": topic.slug}),
        "atom": reverse("feeds:topic_atom", kwargs={"topic_slug": topic.slug}),
    }


@register.simple_tag(takes_context=True)
def editorial_policy_url(context):
    site_settings = context.get("review_settings") or review_settings_for(context.get("request"))
    policy = site_settings.editorial_policy_page if site_settings else None
    if policy is None or not policy.live:
        return ""
    return policy.get_url(context.get("request")) or ""
