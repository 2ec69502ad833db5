"""Schema.org structured data for an article: one MedicalWebPage with its breadcrumb, built as
plain Python data and written as one <script type="application/ld+json"> tag."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from healthpress.core.site import absolute_url

# JSON inside <script> must not be able to close the tag or open a comment. Three replaces, not
# str.translate: on text with any non-ASCII character (an em dash will do) translate looks up
# every character in Python, about 30 times slower (0.2 ms for one article's JSON-LD).
SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def web_url(url):
    """The URL if it is an http(s) address, else "": never a javascript: link."""
    url = str(url or "").strip()
    return url if urlsplit(url).scheme in {"http", "https"} else ""


def person_data(person, request):
    data = {
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(request, person.get_absolute_url()),
    }
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.credentials:
        data["honorificSuffix"] = person.credentials
        data["hasCredential"] = [
            {"@type": "EducationalOccupationalCredential", "name": name.strip()}
            for name in person.credentials.split(",")
            if name.strip()
        ]
    return data


def reference_data(reference):
    data = {"@type": "CreativeWork", "name": reference["title"]}
    if reference.get("authors"):
        data["author"] = reference["authors"]
    if reference.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": reference["publisher"]}
    if reference.get("year"):
        data["datePublished"] = str(reference["year"])
    if web_url(reference.get("url")):
        data["url"] = web_url(reference["url"])
    return data


def breadcrumb_data(page, topic, request):
    # The site root's address comes from Wagtail's cached site roots: no query for the home page.
    _, root_url, _ = page.get_url_parts(request) or (None, "", "")
    trail = [("Home", f"{root_url}/")]
    if topic is not None:
        trail.append((topic.title, topic.get_full_url(request)))
    trail.append((page.title, page.get_full_url(request)))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_data(page, request, topic=None):
    """The article as a schema.org MedicalWebPage."""
    url = page.get_full_url(request)
    home_url = absolute_url(request, "/")
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "headline": page.title,
        "description": page.search_description or page.short_answer,
        "inLanguage": "en-GB",
        "publisher": {
            "@type": "Organization",
            "name": settings.WAGTAIL_SITE_NAME,
            "url": home_url,
            "logo": absolute_url(request, static("img/favicon.svg")),
        },
        "breadcrumb": breadcrumb_data(page, topic, request),
    }
    if page.condition_name:
        data["about"] = {"@type": "MedicalCondition", "name": page.condition_name}
    if page.author:
        data["author"] = person_data(page.author, request)
    if page.reviewer and page.last_reviewed:
        data["reviewedBy"] = person_data(page.reviewer, request)
        data["lastReviewed"] = page.last_reviewed.isoformat()
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    modified = page.last_published_at or page.latest_revision_created_at
    if modified:
        data["dateModified"] = modified.isoformat()
    images = image_data(page, request)
    if images:
        data["image"] = images
    citations = [reference_data(block.value) for block in page.references]
    if citations:
        data["citation"] = citations
    return data


def image_data(page, request):
    """The lead image, then each figure, as schema.org ImageObjects with absolute JPEG/PNG
    addresses, their caption, credit and licence."""
    from .renditions import figure_images, share_image

    images = []
    lead = share_image(page, request)
    if lead:
        images.append(_image_object(lead))
    for figure in figure_images(page, request):
        item = _image_object(figure)
        if figure["caption"]:
            item["caption"] = figure["caption"]
        if figure["credit"]:
            item["creditText"] = figure["credit"]
        if figure["licence_url"] and web_url(figure["licence_url"]):
            item["license"] = web_url(figure["licence_url"])
        if figure["licence"]:
            item["copyrightNotice"] = figure["licence"]
        images.append(item)
    return images


def _image_object(image):
    item = {
        "@type": "ImageObject",
        "contentUrl": image["url"],
        "url": image["url"],
        "width": image["width"],
        "height": image["height"],
    }
    if image["alt"]:
        item["description"] = image["alt"]
    return item


def json_ld_script(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in SCRIPT_SAFE:
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
