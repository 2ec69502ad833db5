"""Moving a WordPress site across: its export read by wxr.py, each post mapped by mapping.py and
saved through the articles app's own services, its old addresses kept by Wagtail's redirects.

One run, `import_export(path, ...)`:

1. the whole file is validated first (wxr.validate), so nothing is written from a file that turns
   out to be cut short or hostile half way; the attachments' metadata is collected on the way
   (posts refer to images that come later in the file);
2. authors become people (matched by name: people here have no email), categories topics (nested
   ones flattened: every category is a topic of its own under the home page), tags tags;
3. each post becomes an article through `save_article()` inside the articles app's
   `bulk_import()`, which indexes, purges and embeds once at the end. Drafts, pending, private
   and scheduled posts arrive as drafts; published ones go live only with `publish_live`, and then
   as an operator's publish that says on the page and in Reviews due that no medical review has
   happened. Their first-published dates are WordPress's, so the newsletter, which mails what was
   first published since its last edition, never sends them as new;
4. comments go under their article with their dates and statuses (approved, pending, spam; trash
   is left behind, pingbacks and trackbacks counted and skipped), replies of replies under their
   top-level comment, their text cleaned like every comment, their addresses truncated;
5. every old address the export reveals answers 301 to the new page (Wagtail's redirects).

Each record is keyed by the export's site and its WordPress ID (models.ImportedRecord), so a
second run updates what changed and creates nothing twice. `dry_run` does all of it inside a
transaction that is rolled back, and writes no files: the same report, nothing kept.
"""

import csv
import hashlib
import logging
from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.core.files.images import ImageFile
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Site as WagtailSite

from healthpress.articles.content import bulk_import, save_article
from healthpress.articles.models import ArticlePage
from healthpress.comments.models import Comment, Status, text_fingerprint
from healthpress.core.cleaning import clean_line, clean_text
from healthpress.core.clients import truncated_ip
from healthpress.core.models import HomePage, TopicPage
from healthpress.people.models import Person

from . import wxr
from .mapping import Figure, Table, Video, map_post
from .models import ImportedRecord

log = logging.getLogger("healthpress.wordpress")
Kind = ImportedRecord.Kind
LIVE_STATUSES = {"publish"}
DRAFT_STATUSES = {"draft", "pending", "private", "future", "publish"}
COMMENT_STATUSES = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "0": Status.PENDING,
    "hold": Status.PENDING,
    "spam": Status.SPAM,
}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
MAX_COMMENT = 5000


class Rollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


@dataclass
class Report:
    site: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(Counter))  # kind -> outcome -> n
    warnings: list = field(default_factory=list)  # (kind, title, old_url, message)
    dry_run: bool = False

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def warn(self, kind, title, url, message):
        self.warnings.append((kind, title, url, message))
        log.warning("%s %r (%s): %s", kind, title, url, message)

    def lines(self):
        head = "Dry run: nothing was written." if self.dry_run else f"Imported from {self.site}."
        yield head
        for kind in ("author", "category", "post", "page", "attachment", "comment", "redirect"):
            outcome = self.counts.get(kind)
            if outcome:
                parts = ", ".join(f"{n} {what}" for what, n in sorted(outcome.items()))
                yield f"  {kind + 's:':13} {parts}"
        if self.warnings:
            yield f"{len(self.warnings)} warning(s):"
            for kind, title, url, message in self.warnings:
                yield f"  {kind} “{title}” ({url or 'no address'}): {message}"

    def write_csv(self, path):
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["kind", "outcome or warning", "count", "title", "old address"])
            for kind, outcome in sorted(self.counts.items()):
                for what, n in sorted(outcome.items()):
                    writer.writerow([kind, what, n, "", ""])
            for kind, title, url, message in self.warnings:
                writer.writerow([kind, message, "", title, url])


@dataclass
class Options:
    uploads: Path | None = None
    dry_run: bool = False
    publish_live: bool = False
    category_base: str = "category"
    author_base: str = "author"
    user: object = None  # who ran it, for the pages' history (None: the command line)


class _Import:
    def __init__(self, path, options, summary, attachments, progress):
        self.path = path
        self.options = options
        self.site_key = summary.site.key
        self.report = Report(site=self.site_key, dry_run=options.dry_run)
        self.attachments = attachments  # wp id -> wxr.Item (attachments only)
        self.images = {}  # wp attachment id -> Image, within this run
        self.people = {}  # login -> Person
        self.categories = {}  # slug -> wxr.Term
        self.topics = {}  # slug -> TopicPage
        self.progress = progress
        self.home = HomePage.objects.order_by("path").first()
        self.wagtail_site = (
            WagtailSite.objects.filter(root_page=self.home).first() if self.home else None
        )
        self.old_origin = urlsplit(summary.site.key)

    # -- records kept between runs -------------------------------------------------------

    def record(self, kind, wp_id):
        return ImportedRecord.objects.filter(
            site=self.site_key, kind=kind, wp_id=str(wp_id)
        ).first()

    def remember(self, kind, wp_id, obj, digest=""):
        ImportedRecord.objects.update_or_create(
            site=self.site_key,
            kind=kind,
            wp_id=str(wp_id),
            defaults={"object_id": obj.pk, "digest": digest},
        )

    # -- the records -----------------------------------------------------------------------

    def author(self, author):
        record = self.record(Kind.AUTHOR, author.login)
        person = Person.objects.filter(pk=record.object_id).first() if record else None
        if person is None:
            name = clean_line(author.name)[:120] or author.login
            person = Person.objects.filter(name__iexact=name).first()
            if person is None:
                person = Person.objects.create(name=name)
                self.report.count("author", "created")
            else:
                self.report.count("author", "matched")
            self.remember(Kind.AUTHOR, author.login, person)
        else:
            self.report.count("author", "unchanged")
        self.people[author.login] = person
        self.redirect(
            f"/{self.options.author_base}/{author.login}/", person.get_absolute_url(), "author"
        )

    def category(self, term):
        if term.kind == "tag":
            return  # tags travel with their posts
        self.categories[term.slug] = term
        record = self.record(Kind.CATEGORY, term.slug)
        topic = TopicPage.objects.filter(pk=record.object_id).first() if record else None
        if topic is None:
            name = clean_line(term.name)[:255] or term.slug
            topic = TopicPage.objects.filter(slug=slugify(term.slug)[:50]).first() or next(
                (t for t in TopicPage.objects.filter(title__iexact=name)), None
            )
            if topic is None:
                topic = TopicPage(title=name, slug=self.free_topic_slug(term.slug))
                self.home.add_child(instance=topic)
                topic.save_revision(user=self.options.user).publish(user=self.options.user)
                self.report.count("category", "created")
            else:
                self.report.count("category", "matched")
            self.remember(Kind.CATEGORY, term.slug, topic)
        else:
            self.report.count("category", "unchanged")
        self.topics[term.slug] = topic
        self.redirect(
            f"/{self.options.category_base}/{self.category_path(term.slug)}/", topic.url, "category"
        )

    def category_path(self, slug):
        """Nested categories' addresses hold their parents: /category/parent/child/."""
        parts, seen = [], set()
        while slug and slug not in seen:
            seen.add(slug)
            parts.insert(0, slug)
            slug = self.categories[slug].parent if slug in self.categories else ""
        return "/".join(parts)

    def free_topic_slug(self, slug):
        base = slugify(slug)[:50] or "topic"
        candidate, n = base, 2
        while TopicPage.objects.filter(slug=candidate).exists():
            candidate, n = f"{base[:45]}-{n}", n + 1
        return candidate

    def item(self, item):
        if item.post_type == "post":
            return self.post(item)
        if item.post_type == "page":
            self.report.count("page", "reported")
            self.report.warn(
                "page",
                item.title,
                item.link,
                "pages have no HealthPress equivalent yet: not imported",
            )
            return None
        if item.post_type == "attachment":
            if self.is_image(item):
                return self.image(item.wp_id)
            self.report.count("attachment", "reported")
            self.report.warn(
                "attachment", item.title, item.attachment_url, "only images are imported so far"
            )
            return None
        self.report.count(item.post_type or "other", "skipped")
        return None

    def post(self, item):
        if item.status not in DRAFT_STATUSES:
            self.report.count("post", "skipped")
            if item.status != "trash":
                self.report.warn(
                    "post", item.title, item.link, f"status {item.status!r}: not imported"
                )
            return None
        record = self.record(Kind.POST, item.wp_id)
        digest = item.digest()
        if (
            record
            and record.digest == digest
            and ArticlePage.objects.filter(pk=record.object_id).exists()
        ):
            self.report.count("post", "unchanged")
            self.comments(item, ArticlePage.objects.get(pk=record.object_id))
            return None
        mapped = map_post(item)
        topic = self.topic_for(item)
        author = self.people.get(item.creator)
        live = item.status in LIVE_STATUSES and self.options.publish_live
        with transaction.atomic():
            body, lead = self.place_media(item, mapped)
            mapped.content.body = body
            existing = ArticlePage.objects.filter(pk=record.object_id).first() if record else None
            if existing is not None and existing.title != mapped.content.question:
                existing.title = mapped.content.question  # save_article finds articles by question
                existing.save_revision(user=self.options.user)
            page, created = save_article(
                mapped.content,
                topic=topic,
                author=author,
                publish=live,
                published_at=item.date if item.status == "publish" else None,
                user=self.options.user if live and self.options.user else None,
                via="import_wordpress",
            )
            if lead is not None and hasattr(page, "lead_image"):
                ArticlePage.objects.filter(pk=page.pk).update(lead_image=lead)
            self.remember(Kind.POST, item.wp_id, page, digest=digest)
            self.comments(item, page)
            self.post_redirects(item, page)
        self.report.count("post", "created" if created else "updated")
        for message in mapped.warnings:
            self.report.warn("post", item.title, item.link, message)
        if item.status not in LIVE_STATUSES:
            self.report.count("post", f"as draft ({item.status})")
        elif not live:
            self.report.count("post", "as draft (published there; --publish-live not given)")
        return page

    def topic_for(self, item):
        for slug, _name in item.categories:
            if slug in self.topics:
                return self.topics[slug]
        fallback = (
            self.topics.get("uncategorized")
            or TopicPage.objects.child_of(self.home).order_by("path").first()
        )
        if fallback is None:
            fallback = TopicPage(title="Imported articles", slug=self.free_topic_slug("imported"))
            self.home.add_child(instance=fallback)
            fallback.save_revision().publish()
        self.topics["uncategorized"] = fallback
        return fallback

    # -- media -----------------------------------------------------------------------------

    def is_image(self, item):
        return PurePosixPath(urlsplit(item.attachment_url).path).suffix.lower() in IMAGE_SUFFIXES

    def image(self, wp_id):
        """The Wagtail image for an attachment, uploaded once (same file, same image), or None
        when its file is not in --uploads (reported)."""
        if wp_id in self.images:
            return self.images[wp_id]
        item = self.attachments.get(wp_id)
        image = None
        if item is not None:
            record = self.record(Kind.ATTACHMENT, wp_id)
            model = get_image_model()
            image = model.objects.filter(pk=record.object_id).first() if record else None
            if image is None:
                image = self.upload(item, model)
            else:
                self.report.count("attachment", "unchanged")
        self.images[wp_id] = image
        return image

    def upload(self, item, model):
        relative = (
            item.meta.get("_wp_attached_file")
            or urlsplit(item.attachment_url).path.split("/uploads/", 1)[-1]
        )
        source = (self.options.uploads / relative) if self.options.uploads and relative else None
        if source is None or not source.is_file() or not _inside(source, self.options.uploads):
            self.report.count("attachment", "missing file")
            self.report.warn(
                "attachment",
                item.title,
                item.attachment_url,
                f"file not found in the uploads folder: {relative or '?'}",
            )
            return None
        digest = hashlib.sha1(source.read_bytes()).hexdigest()
        image = model.objects.filter(file_hash=digest).first()
        if image is None and not self.options.dry_run:
            with open(source, "rb") as file:
                image = model(
                    title=clean_line(item.title)[:255] or source.name,
                    file=ImageFile(file, name=source.name),
                )
                image.save()
            self.report.count("attachment", "created")
        elif image is None:
            self.report.count("attachment", "would be created")
            return None
        else:
            self.report.count("attachment", "reused (same file)")
        self.remember(Kind.ATTACHMENT, item.wp_id, image)
        return image

    def place_media(self, item, mapped):
        """The body with each Figure, Table and Video made a block of the article, where the
        article has such a block, else reported; and the lead image (the featured image)."""
        blocks = []
        available = set(ArticlePage.body.field.stream_block.child_blocks)
        for block in mapped.content.body:
            if block["type"] != "media":
                blocks.append(block)
                continue
            made = self.media_block(block["value"], available, item)
            if made is not None:
                blocks.append(made)
        lead = None
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail.isdigit():
            lead = self.image(int(thumbnail))
        return blocks, lead

    def media_block(self, media, available, item):
        kind = {Figure: "figure", Table: "table", Video: "video"}[type(media)]
        if kind not in available:
            self.report.warn(
                "post",
                item.title,
                item.link,
                f"a {kind} was left out: articles have no {kind} block yet",
            )
            return None
        if isinstance(media, Figure):
            image = self.image(media.attachment_id) if media.attachment_id else None
            if image is None:
                self.report.warn(
                    "post",
                    item.title,
                    item.link,
                    f"a figure's image is missing ({media.src}): left out",
                )
                return None
            attachment = self.attachments.get(media.attachment_id)
            alt = media.alt or (
                attachment.meta.get("_wp_attachment_image_alt", "") if attachment else ""
            )
            return figure_block(
                image, clean_line(alt), media.caption or (attachment.excerpt if attachment else "")
            )
        if isinstance(media, Table):
            return table_block(media)
        return video_block(media)

    # -- comments --------------------------------------------------------------------------

    def comments(self, item, page):
        made = {}  # wp comment id -> Comment
        top = {}  # wp comment id -> its top-level ancestor's wp id
        for c in sorted(item.comments, key=lambda c: (c.date is None, c.date, c.wp_id)):
            top[c.wp_id] = top.get(c.parent, c.parent) if c.parent else c.wp_id
        for c in item.comments:
            if c.kind in ("pingback", "trackback"):
                self.report.count("comment", f"{c.kind}s skipped")
                continue
            status = COMMENT_STATUSES.get(c.approved)
            if status is None:
                self.report.count(
                    "comment",
                    "skipped (trash)" if c.approved == "trash" else f"skipped ({c.approved})",
                )
                continue
            record = self.record(Kind.COMMENT, c.wp_id)
            if record and Comment.objects.filter(pk=record.object_id).exists():
                made[c.wp_id] = Comment.objects.get(pk=record.object_id)
                self.report.count("comment", "unchanged")
                continue
            body = clean_text(c.content).strip()[:MAX_COMMENT]
            if not body:
                self.report.count("comment", "skipped (empty)")
                continue
            root = top.get(c.wp_id, c.wp_id)
            parent = made.get(root) if root != c.wp_id else None
            comment = Comment(
                article=page,
                parent=parent,
                name=clean_line(c.author)[:80] or "Anonymous",
                email=c.email[:254] if "@" in c.email else "",
                body=body,
                status=status,
                ip_network=truncated_ip(c.ip),
                fingerprint=text_fingerprint(body),
            )
            if c.date:
                comment.created_at = c.date
            if status == Status.APPROVED:
                comment.approved_at = comment.created_at
            comment.save()
            made[c.wp_id] = comment
            self.remember(Kind.COMMENT, c.wp_id, comment)
            self.report.count("comment", "created")

    # -- old addresses ---------------------------------------------------------------------

    def post_redirects(self, item, page):
        target = page.url or f"/admin/pages/{page.pk}/edit/"
        if not page.live:
            return  # a draft has no address yet; its redirects come with a run after it is live
        paths = {urlsplit(item.link).path or "/"} if item.link else set()
        query = urlsplit(item.link).query if item.link else ""
        if query:
            paths = {f"{urlsplit(item.link).path or '/'}?{query}"}
        paths.add(f"/?p={item.wp_id}")
        if item.slug and item.date:
            d = item.date
            paths |= {
                f"/{d:%Y}/{d:%m}/{d:%d}/{item.slug}/",
                f"/{d:%Y}/{d:%m}/{item.slug}/",
                f"/{item.slug}/",
            }
        for path in sorted(paths):
            self.redirect(path, target, "post")

    def redirect(self, old_path, target_url, kind):
        if not target_url or not self.wagtail_site:
            return
        normalised = Redirect.normalise_path(old_path)
        if normalised in ("", "/") or Redirect.normalise_path(target_url) == normalised:
            return
        redirect, created = Redirect.objects.update_or_create(
            old_path=normalised,
            site=self.wagtail_site,
            defaults={"redirect_link": target_url, "is_permanent": True},
        )
        self.report.count("redirect", "created" if created else "kept")

    def feeds(self):
        """WordPress's feed addresses, which readers' feed apps still poll, to ours."""
        rss, atom = reverse("feeds:rss"), reverse("feeds:atom")
        for old, new in (
            ("/feed/", rss),
            ("/feed/rss2/", rss),
            ("/feed/atom/", atom),
            ("/comments/feed/", rss),
        ):
            self.redirect(old, new, "feed")


def _inside(path, folder):
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def figure_block(image, alt, caption):
    return {
        "type": "figure",
        "value": {"image": image.pk, "alt_text": alt, "decorative": not alt, "caption": caption},
    }


def table_block(table):
    return {
        "type": "table",
        "value": {"caption": table.caption, "header": table.header, "rows": table.rows},
    }


def video_block(video):
    return {"type": "video", "value": {"url": video.url, "caption": video.caption}}


def collect(path):
    """First pass: validate the whole file (wxr.InvalidExport otherwise) and keep what posts
    will need from records further on: the attachments."""
    summary = wxr.Summary(site=wxr.Site())
    attachments = {}
    for record in wxr.read(path):
        if isinstance(record, wxr.Site):
            summary.site = record
        elif isinstance(record, wxr.Author):
            summary.authors += 1
        elif isinstance(record, wxr.Term):
            summary.terms += 1
        else:
            summary.items[record.post_type] = summary.items.get(record.post_type, 0) + 1
            summary.comments += len(record.comments)
            if record.post_type == "attachment":
                record.content = ""
                attachments[record.wp_id] = record
    wxr.check_summary(summary)
    return summary, attachments


def import_export(path, options=None, progress=None):
    """Import a WordPress export; returns the Report. Raises wxr.InvalidExport before writing
    anything when the file is not a readable WordPress export."""
    options = options or Options()
    summary, attachments = collect(path)
    job = _Import(path, options, summary, attachments, progress)
    if job.home is None:
        raise wxr.InvalidExport("this site has no home page yet: run `manage.py start_site` first")
    try:
        with transaction.atomic(), nullcontext() if options.dry_run else bulk_import():
            for record in wxr.read(path):
                if isinstance(record, wxr.Author):
                    job.author(record)
                elif isinstance(record, wxr.Term):
                    job.category(record)
                elif isinstance(record, wxr.Item):
                    try:
                        with transaction.atomic():
                            job.item(record)
                    except Exception as error:  # one post's failure is reported, the rest go on
                        log.exception(
                            "WordPress import: %s %s failed", record.post_type, record.wp_id
                        )
                        job.report.count(record.post_type, "failed")
                        job.report.warn(
                            record.post_type, record.title, record.link, f"failed: {error}"
                        )
                    if progress is not None and record.post_type in wxr.POST_TYPES_READ:
                        progress(1)
            job.feeds()
            if options.dry_run:
                raise Rollback
    except Rollback:
        pass
    return job.report
