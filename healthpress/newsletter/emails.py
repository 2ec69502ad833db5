"""Email rendering: one function per message kind. Every message has an HTML part (CSS inlined
with css-inline, because mail clients drop <style>) and a plain-text part."""

import time

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.text import Truncator

from healthpress.articles.renditions import EMAIL
from healthpress.core.site import absolute

from . import links

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)

# Stand-ins for the per-subscriber links: a digest is rendered and inlined once per set of
# articles and these are swapped in per recipient, which keeps the sender fast on big lists.
MANAGE_MARK = "hp-newsletter-manage-link-mark"
UNSUBSCRIBE_MARK = "hp-newsletter-unsubscribe-link-mark"
TO_MARK = "hp-newsletter-recipient-mark@example.invalid"
MESSAGE_ID_MARK = "hp-newsletter-message-id-mark"


class _PrebuiltMIME:
    """What EmailMessage.message() returns, for a message whose bytes are already made."""

    def __init__(self, data):
        self.data = data  # "\n" line endings

    def as_bytes(self, linesep="\n"):
        return self.data if linesep == "\n" else self.data.replace(b"\n", linesep.encode())

    def get_charset(self):
        return None


class PrebuiltEmail(EmailMultiAlternatives):
    """A digest whose MIME bytes were generated once per edition content and personalised by
    replacing markers. Python's header folding cost more CPU than everything else per message;
    every attribute (body, alternatives, headers) is still the real one for API backends such
    as django-anymail, which do not call message()."""

    prebuilt = None

    def message(self, *args, **kwargs):
        if self.prebuilt is None:
            return super().message(*args, **kwargs)
        return _PrebuiltMIME(self.prebuilt)


def _common_context():
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": links.base_url() + "/",
        "identity": settings.NEWSLETTER_IDENTITY,
    }


def _render(template, context):
    """(plain text, inlined HTML) for `newsletter/email/<template>.txt|.html`."""
    context = {**_common_context(), **context}
    text = render_to_string(f"newsletter/email/{template}.txt", context)
    html = render_to_string(f"newsletter/email/{template}.html", context)
    return text, _inliner.inline(html)


def _message(subject, text, html, to, headers=None, message_class=EmailMultiAlternatives):
    message = message_class(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_email(subscriber):
    """Double opt-in: the signed, expiring link that confirms a pending address."""
    text, html = _render("confirmation", {"confirm_url": links.confirm_url(subscriber)})
    subject = f"Confirm your subscription to {settings.WAGTAIL_SITE_NAME}"
    return _message(subject, text, html, subscriber.email)


def manage_subscription_email(subscriber):
    """For an address that is already confirmed: a link to its preferences, nothing else."""
    context = {
        "preferences_url": links.preferences_url(subscriber),
        "unsubscribe_url": links.unsubscribe_url(subscriber),
    }
    text, html = _render("manage", context)
    subject = f"Your {settings.WAGTAIL_SITE_NAME} newsletter subscription"
    return _message(subject, text, html, subscriber.email)


def article_summary(page, topics):
    """One article of a digest; its topic is the one of `topics` it sits under (is_child_of(),
    the tree's own test, which Wagtail's pages inherit from treebeard)."""
    return {
        "title": page.title,
        "short_answer": Truncator(page.short_answer).chars(320),
        "url": links.page_url(page),
        "topic": next((t.title for t in topics if page.is_child_of(t)), ""),
        "image": lead_image(page),
    }


def lead_image(page):
    """The article's lead image for mail clients: a JPEG (they show no AVIF or WebP) at an
    absolute address, with its width, height and alt text; None without one."""
    if not page.lead_image_id or page.lead_image is None:
        return None
    rendition = page.lead_image.get_rendition(EMAIL)
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": page.lead_image_alt_text,
    }


def digest_subject(articles):
    site = settings.WAGTAIL_SITE_NAME
    if len(articles) == 1:
        return f"New on {site}: {articles[0]['title']}"
    return f"{len(articles)} new articles on {site}"


class DigestRenderer:
    """Newsletter editions. Renders each distinct set of articles once, then personalises."""

    def __init__(self):
        self._cache = {}
        domain = links.site_domain()
        self.domain = domain
        self.list_id = f"{settings.WAGTAIL_SITE_NAME} newsletter <newsletter.{domain}>"

    def _headers(self, unsubscribe, message_id):
        targets = [f"<{unsubscribe}>"]
        if settings.NEWSLETTER_UNSUBSCRIBE_MAILTO:
            targets.append(f"<mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>")
        headers = {
            "List-Unsubscribe": ", ".join(targets),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
            "Precedence": "bulk",
        }
        if message_id:
            headers["Message-ID"] = f"<{message_id}@{self.domain}>"
        return headers

    def _rendered(self, articles, test):
        # Rebuilt every 10 minutes so the Date header of a long, rate-limited run stays true.
        key = (tuple(a["url"] for a in articles), test, int(time.monotonic() // 600))
        if key not in self._cache:
            context = {
                "articles": articles,
                "test": test,
                "preferences_url": MANAGE_MARK,
                "unsubscribe_url": UNSUBSCRIBE_MARK,
            }
            if len(self._cache) > 512:  # many topic combinations: keep memory flat
                self._cache.clear()
            subject = digest_subject(articles)
            if test:
                subject = f"[Test] {subject}"
            text, html = _render("digest", context)
            self._cache[key] = (subject, text, html, self._prebuild(subject, text, html))
        return self._cache[key]

    def _prebuild(self, subject, text, html):
        """The whole message as bytes with markers, or None when a marker did not survive
        encoding intact (e.g. a part sent as quoted-printable): then each message is built."""
        headers = self._headers(UNSUBSCRIBE_MARK, MESSAGE_ID_MARK)
        data = _message(subject, text, html, TO_MARK, headers).message().as_bytes()
        expected = {
            MANAGE_MARK: text.count(MANAGE_MARK) + html.count(MANAGE_MARK),
            UNSUBSCRIBE_MARK: text.count(UNSUBSCRIBE_MARK) + html.count(UNSUBSCRIBE_MARK) + 1,
            TO_MARK: 1,
            MESSAGE_ID_MARK: 1,
        }
        intact = all(data.count(mark.encode()) == n for mark, n in expected.items())
        return data if intact else None

    def message(self, subscriber, articles, message_id=None, test=False, to=None):
        subject, text, html, prebuilt = self._rendered(articles, test)
        manage = links.preferences_url(subscriber)
        unsubscribe = links.unsubscribe_url(subscriber)
        text = text.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, unsubscribe)
        html = html.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, unsubscribe)
        recipient = to or subscriber.email
        headers = self._headers(unsubscribe, message_id)
        message = _message(subject, text, html, recipient, headers, PrebuiltEmail)
        if prebuilt is not None and message_id and recipient.isascii():
            message.prebuilt = (
                prebuilt.replace(MANAGE_MARK.encode(), manage.encode())
                .replace(UNSUBSCRIBE_MARK.encode(), unsubscribe.encode())
                .replace(TO_MARK.encode(), recipient.encode())
                .replace(MESSAGE_ID_MARK.encode(), message_id.encode())
            )
        return message


def delivery_message_id(edition_id, subscriber_id):
    """Stable for a delivery: a copy resent after a crash carries the same Message-ID, so mail
    systems that de-duplicate on it show one message."""
    return f"newsletter.e{edition_id}.s{subscriber_id}"
