"""Which renditions an article's pictures need, made before any reader asks for them.

The templates ask for these with Wagtail's `{% picture %}` and `{% image %}` tags (figure.html,
video.html, article_page.html, the article card, the sharing tags, the new-article email); each
spec below is written there too, and tests/articles/test_figures.py checks that rendering a page
whose renditions were made here makes none of its own. AVIF and WebP go to the browsers that take
them, JPEG (PNG for line art) to the rest; mail clients and link previews get JPEG only.

When they are made:
- a draft that uses a picture is saved: `make_renditions_task` is queued (after the commit), so
  the editor's preview and the later publish find them ready;
- the article is published: whatever is still missing is made by the publish itself, before its
  transaction commits (`page_published` is sent inside it), so a reader never waits for one.
"""

from collections import defaultdict

from wagtail.images import get_image_model
from wagtail.images.models import Filter

WIDTHS = "width-{400,800,1200}"
FIGURE = ["format-{avif,webp,jpeg}", WIDTHS]
FIGURE_LINE_ART = ["format-{avif,webp,png}", WIDTHS]
LEAD = ["format-{avif,webp,jpeg}", "fill-{400x225,800x450,1200x675}"]
CARD = ["format-{avif,webp,jpeg}", "fill-{320x180,640x360}"]
POSTER = ["format-{avif,webp,jpeg}", "fill-{400x225,800x450,1200x675}"]
# Link previews (og:image, twitter:image), JSON-LD, feeds, the new-article email: JPEG only.
SHARE = "fill-1200x630|format-jpeg"
EMAIL = "width-600|format-jpeg"
VIDEO_FILE_POSTER = "fill-1280x720|format-jpeg"  # <video poster> takes one address


def _expanded(picture):
    """The single filter specs ("format-avif|width-400", ...) a `{% picture %}` call with these
    arguments asks for: Wagtail's own expansion, as the tag does it."""
    return Filter.expand_spec(picture)


def pictures_of(page):
    """(image, [filter spec, ...]) for every picture the page shows, lead image first."""
    wanted = []
    if page.lead_image_id and page.lead_image:
        lead = [*_expanded(LEAD), *_expanded(CARD), SHARE, EMAIL]
        wanted.append((page.lead_image, lead))
    for block in page.body:
        if block.block_type == "figure" and block.value["image"]:
            picture = FIGURE_LINE_ART if block.value["line_art"] else FIGURE
            wanted.append((block.value["image"], _expanded(picture)))
        elif block.block_type == "video" and block.value["poster"]:
            poster = [*_expanded(POSTER), VIDEO_FILE_POSTER]
            wanted.append((block.value["poster"], poster))
    return wanted


def make_renditions(page):
    """Make every rendition the page will show that does not exist yet; returns how many
    pictures were looked at."""
    pictures = pictures_of(page)
    for image, filters in pictures:
        image.get_renditions(*filters)  # Wagtail makes the missing ones, in one go per picture
    return len(pictures)


def prefetch_pictures(page, related=()):
    """Every rendition of the page's pictures (its lead image, its related articles' lead
    images, the body's figures and video posters) in one query, the lead images joined to it:
    a page with many pictures costs the same, and the lead images no query of their own (the
    body's images come with the body, from Wagtail's one query for a StreamField's images).

    Each image gets its renditions as Wagtail's own `prefetch_renditions()` hands them over
    (`prefetched_renditions`, which `get_rendition()` reads first). A lead image without any
    rendition yet is left to load when shown, and makes its renditions then, as before."""
    with_lead = [article for article in (page, *related) if article.lead_image_id]
    body = page.body_images()
    wanted = {article.lead_image_id for article in with_lead} | {image.pk for image in body}
    if not wanted:
        return
    Rendition = get_image_model().get_rendition_model()
    renditions, images = defaultdict(list), {}
    for rendition in Rendition.objects.filter(image_id__in=wanted).select_related("image"):
        renditions[rendition.image_id].append(rendition)
        images.setdefault(rendition.image_id, rendition.image)
    for article in with_lead:
        if article.lead_image_id in images:
            article.lead_image = images[article.lead_image_id]
    for image in [*images.values(), *body]:
        image.prefetched_renditions = list(renditions[image.pk])


def sized_url(image, spec, request):
    """(absolute URL on the Site, width, height) of one JPEG rendition: for mail, feeds, link
    previews and JSON-LD, which take neither AVIF nor a relative address."""
    from healthpress.core.site import absolute_url

    rendition = image.get_rendition(spec)
    return absolute_url(request, rendition.url), rendition.width, rendition.height


def share_image(page, request, spec=SHARE):
    """The page's lead image as {"url", "width", "height", "alt"}, or None without one."""
    if not page.lead_image_id or page.lead_image is None:
        return None
    url, width, height = sized_url(page.lead_image, spec, request)
    return {"url": url, "width": width, "height": height, "alt": page.lead_image_alt_text}


def figure_images(page, request):
    """Each figure's picture with what the page says about it, for the JSON-LD."""
    figures = []
    for block in page.body:
        if block.block_type != "figure" or not block.value["image"]:
            continue
        value = block.value
        spec = "format-png|width-1200" if value["line_art"] else "format-jpeg|width-1200"
        url, width, height = sized_url(value["image"], spec, request)
        figures.append(
            {
                "url": url,
                "width": width,
                "height": height,
                "alt": value["image"].contextual_alt_text or "",
                "caption": value["caption"],
                "credit": value["credit"],
                "licence": value["licence"],
                "licence_url": value["licence_url"],
            }
        )
    return figures
