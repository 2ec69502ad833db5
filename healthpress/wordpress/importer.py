"""Moving a WordPress site across: its export read by wxr.py, each post mapped by mapping.py and
saved through the articles app's own services, its old addresses kept by Wagtail's redirects.

One run, `import_export(path, ...)`:

1. the whole file is validated first (wxr.validate), so nothing is written from a file that turns
   out to be cut short or hostile half way; the attachments' metadata is collected on the way
   (posts refer to images that come later in the file);
2. authors become people (matched by name: people here have no email), categories topics (nested
   ones flattened: every category is a topic of its own under the home page), tags tags;
3. each new post becomes an article through the articles app's batch service
   (`import_articles_in_bulk`, a topic's posts together, at most MAX_HELD mapped posts held in
   memory), a changed one a new revision through `save_article()` inside `bulk_import()`,
   which indexes, purges and embeds once at the end. Drafts, pending, private
   and scheduled posts arrive as drafts; published ones go live only with `publish_live`, and then
   as an operator's publish that says on the page and in Reviews due that no medical review has
   happened. Their first-published dates are WordPress's, so the newsletter, which mails what was
   first published since its last edition, never sends them as new;
4. comments go under their article with their dates and statuses (approved, pending, spam; trash
   is left behind, pingbacks and trackbacks counted and skipped), replies of replies under their
   top-level comment, their text cleaned like every comment, their addresses truncated;
5. every old address the export reveals answers 301 to the new page (Wagtail's redirects);
6. pages: the editorial policy becomes the site's editorial policy page (core's one information
   page), unless the site's editors already wrote theirs; other pages are reported.

Each record is keyed by the export's site and its WordPress ID (models.ImportedRecord), so a
second run updates what changed and creates nothing twice. `dry_run` does all of it inside a
transaction that is rolled back, and writes no files: the same report, nothing kept.
"""

import csv
import hashlib
import io
import logging
import re
import tempfile
from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site as WagtailSite

from healthpress.articles.bulk_import import BulkArticle, import_articles_in_bulk
from healthpress.articles.content import bulk_import, find_article, question_key, save_article
from healthpress.articles.importer import figure_value, table_value
from healthpress.articles.models import ArticlePage, ReviewSettings
from healthpress.comments.models import Comment, Status, text_fingerprint
from healthpress.core.cleaning import clean_line, clean_text
from healthpress.core.clients import truncated_ip
from healthpress.core.images import upload_image
from healthpress.core.models import EditorialPolicyPage, HomePage, TopicPage
from healthpress.people.models import Person

from . import wxr
from .mapping import Figure, Table, map_page, map_post
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
PLACEHOLDER_TITLE = "Picture missing from the WordPress import"
LINK = re.compile(r'<a href="([^"]+)">')  # as core.cleaning.clean_rich_text writes links
BATCH_SIZE = 500  # new posts of a topic written together (articles.bulk_import)
MAX_HELD = 2000  # new posts held in memory across topics, waiting for their batch


@dataclass
class Pending:
    """A post mapped and waiting for its batch."""

    item: object  # wxr.Item
    digest: str
    mapped: object  # mapping.MappedPost
    topic: object  # TopicPage
    live: bool


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
        Path(path).write_text(self.csv_text(), encoding="utf-8")

    def csv_text(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["kind", "outcome or warning", "count", "title", "old address"])
        for kind, outcome in sorted(self.counts.items()):
            for what, n in sorted(outcome.items()):
                writer.writerow([kind, what, n, "", ""])
        for kind, title, url, message in self.warnings:
            writer.writerow([kind, message, "", title, url])
        return out.getvalue()


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
        self.documents = {}  # wp attachment id -> Document, within this run
        self.placeholder_image = None
        self.attachment_urls = {_url_key(a.attachment_url): i for i, a in attachments.items()}
        self.people = {}  # login -> Person
        self.categories = {}  # slug -> wxr.Term
        self.topics = {}  # slug -> TopicPage
        self.progress = progress
        self.pending = {}  # (topic pk, live) -> [Pending]: new posts waiting for their batch
        self.home = HomePage.objects.order_by("path").first()
        self.wagtail_site = (
            WagtailSite.objects.filter(root_page=self.home).first() if self.home else None
        )
        self.old_origin = urlsplit(summary.site.key)
        # The kinds an earlier run of this export left records of: on a first run no record is
        # looked up one by one (a query per post and per comment batch saved).
        self.earlier_kinds = set(
            ImportedRecord.objects.filter(site=self.site_key)
            .values_list("kind", flat=True)
            .distinct()
            .order_by()
        )

    # -- records kept between runs -------------------------------------------------------

    def record(self, kind, wp_id):
        if kind not in self.earlier_kinds:
            return None
        return ImportedRecord.objects.filter(
            site=self.site_key, kind=kind, wp_id=str(wp_id)
        ).first()

    def earlier_records(self, kind, wp_ids):
        """{WordPress ID as text: object pk} of those of `wp_ids` an earlier run imported."""
        if kind not in self.earlier_kinds or not wp_ids:
            return {}
        return dict(
            ImportedRecord.objects.filter(
                site=self.site_key, kind=kind, wp_id__in=[str(i) for i in wp_ids]
            ).values_list("wp_id", "object_id")
        )

    def remember(self, kind, wp_id, obj, digest=""):
        ImportedRecord.objects.update_or_create(
            site=self.site_key,
            kind=kind,
            wp_id=str(wp_id),
            defaults={"object_id": obj.pk, "digest": digest},
        )

    def remember_many(self, kind, triples):
        """(wp_id, object, digest) for many records of a kind in two statements."""
        rows = [
            ImportedRecord(
                site=self.site_key, kind=kind, wp_id=str(wp_id), object_id=obj.pk, digest=digest
            )
            for wp_id, obj, digest in triples
        ]
        ImportedRecord.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["site", "kind", "wp_id"],
            update_fields=["object_id", "digest"],
            batch_size=500,
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
            return self.page(item)
        if item.post_type == "attachment":
            return self.image(item.wp_id) if self.is_image(item) else self.document(item.wp_id)
        self.report.count(item.post_type or "other", "skipped")
        return None

    def importable(self, kind, item):
        """Whether a post or page's status is one HealthPress imports; a skipped one is counted,
        and reported unless WordPress had it in the bin."""
        if item.status in DRAFT_STATUSES:
            return True
        self.report.count(kind, "skipped")
        if item.status != "trash":
            self.report.warn(kind, item.title, item.link, f"status {item.status!r}: not imported")
        return False

    def goes_live(self, item):
        """Published in WordPress and imported live: only with --publish-live."""
        return item.status in LIVE_STATUSES and self.options.publish_live

    def count_draft(self, kind, item, live):
        """A post or page that arrives as a draft is counted with the reason."""
        if item.status not in LIVE_STATUSES:
            self.report.count(kind, f"as draft ({item.status})")
        elif not live:
            self.report.count(kind, "as draft (published there; --publish-live not given)")

    def post(self, item):
        if not self.importable("post", item):
            return
        record = self.record(Kind.POST, item.wp_id)
        existing = ArticlePage.objects.filter(pk=record.object_id).first() if record else None
        digest = item.digest()
        if existing is not None and record.digest == digest:
            self.report.count("post", "unchanged")
            self.comments([(item, existing)])
            self.post_redirects([(item, existing)])
            return
        mapped = map_post(item)
        for message in mapped.warnings:
            self.report.warn("post", item.title, item.link, message)
        live = self.goes_live(item)
        pending = Pending(item, digest, mapped, self.topic_for(item), live)
        self.count_draft("post", item, live)
        if existing is None:
            key = (pending.topic.pk, live)
            self.pending.setdefault(key, []).append(pending)
            return
        with transaction.atomic():
            self.update(pending, existing)

    def page(self, item):
        """A WordPress page becomes the site's information page where it has one of its kind:
        the editorial policy (core.EditorialPolicyPage, one per site). An editorial policy the
        site's editors already wrote is theirs, never overwritten; every other page (about,
        contact...) has no HealthPress equivalent and is reported."""
        if not self.importable("page", item):
            return
        if not is_editorial_policy(item):
            self.report.count("page", "reported")
            self.report.warn(
                "page",
                item.title,
                item.link,
                "HealthPress's one information page is the editorial policy; this page has no "
                "equivalent: not imported",
            )
            return
        record = self.record(Kind.PAGE, item.wp_id)
        existing = (
            EditorialPolicyPage.objects.filter(pk=record.object_id).first() if record else None
        )
        digest = item.digest()
        if existing is not None and record.digest == digest:
            self.report.count("page", "unchanged")
            self.page_redirects(item, existing)
            return
        if existing is None:
            own = EditorialPolicyPage.objects.first()
            if own is not None:
                self.report.count("page", "kept the site's own editorial policy")
                self.report.warn(
                    "page",
                    item.title,
                    item.link,
                    f"the site already has its editorial policy page (“{own.title}”): kept as "
                    "it is, this one not imported; its old addresses lead to it",
                )
                self.page_redirects(item, own)
                return
        mapped = map_page(item)
        for message in mapped.warnings:
            self.report.warn("page", item.title, item.link, message)
        if not mapped.body:
            self.report.count("page", "skipped (no text)")
            self.report.warn("page", item.title, item.link, "no text left: not imported")
            return
        live = self.goes_live(item)
        page = existing or EditorialPolicyPage(slug=self.free_home_child_slug(item), live=False)
        page.title, page.intro, page.body = mapped.title, mapped.intro, mapped.body
        if existing is None:
            self.home.add_child(instance=page)
        revision = page.save_revision(user=self.options.user, log_action=True)
        if live:
            revision.publish(user=self.options.user)
            page.refresh_from_db()
        self.remember(Kind.PAGE, item.wp_id, page, digest=digest)
        self.report.count("page", "updated" if existing else "created")
        self.count_draft("page", item, live)
        if page.live and self.wagtail_site:
            review_settings = ReviewSettings.for_site(self.wagtail_site)
            if review_settings.editorial_policy_page_id is None:
                review_settings.editorial_policy_page = page  # linked from every review line
                review_settings.save(update_fields=["editorial_policy_page"])
        self.page_redirects(item, page)

    def free_home_child_slug(self, item):
        base = slugify(item.slug or item.title)[:50] or "editorial-policy"
        taken = set(self.home.get_children().values_list("slug", flat=True))
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base[:45]}-{n}", n + 1
        return candidate

    def page_redirects(self, item, page):
        if page.live:
            for path in old_page_paths(item):
                self.redirect(path, page.url, "page")

    def update(self, pending, existing):
        """A post changed since the last run: a new revision of its article (save_article keeps
        the history), then its comments and redirects as for a new one."""
        item, content = pending.item, pending.mapped.content
        content.body, lead = self.place_media(item, pending.mapped)
        if existing.title != content.question:
            existing.title = content.question  # save_article finds articles by question
            existing.save_revision(user=self.options.user)
        page, _created = save_article(
            content,
            topic=pending.topic,
            author=self.people.get(item.creator),
            publish=pending.live,
            via="import_wordpress",
        )
        self.remember(Kind.POST, item.wp_id, page, digest=pending.digest)
        self.comments([(item, page)])
        self.post_redirects([(item, page)])
        self.report.count("post", "updated")

    def flush(self, everything=False):
        """Write the buffered new posts (all of them, or the fullest topic's when it must), a
        topic's at a time with the articles app's batch service, then their comments, records and
        redirects. A batch that fails is reported post by post and the run goes on."""
        while self.pending:
            # The fullest group goes first, when it fills a batch or when all the groups
            # together hold MAX_HELD: that bound keeps memory flat however many topics the
            # export spreads its posts over (held per group only, a site of 20 categories kept
            # 20 x 500 mapped posts, and the 10,000-post benchmark peaked at 317 MB).
            key = max(self.pending, key=lambda k: len(self.pending[k]))
            held = sum(map(len, self.pending.values()))
            if not (everything or len(self.pending[key]) >= BATCH_SIZE or held >= MAX_HELD):
                break
            batch = self.pending.pop(key)
            try:
                with transaction.atomic():
                    self.write_batch(batch)
            except Exception as error:
                log.exception("WordPress import: a batch of %d posts failed", len(batch))
                for pending in batch:
                    self.report.count("post", "failed")
                    self.report.warn(
                        "post", pending.item.title, pending.item.link, f"failed: {error}"
                    )

    def write_batch(self, batch):
        leads = []
        bulk = []
        for pending in batch:
            pending.mapped.content.body, lead = self.place_media(pending.item, pending.mapped)
            leads.append(lead)
            bulk.append(
                BulkArticle(
                    content=pending.mapped.content,
                    author=self.people.get(pending.item.creator),
                    published_at=pending.item.date,
                )
            )
        topic, live = batch[0].topic, batch[0].live
        if self.options.dry_run:
            self.report.count("post", "created", len(batch))
            self.comments([(p.item, None) for p in batch])
            paths = sum(len(old_post_paths(p.item)) for p in batch if p.live)
            self.report.count("redirect", "created", paths)
            return
        result = import_articles_in_bulk(bulk, topic, publish=live, via="import_wordpress")
        pages = {
            question_key(page.title): page
            for page in ArticlePage.objects.filter(pk__in=result.created)
        }
        made = []
        for pending, lead in zip(batch, leads, strict=True):
            page = pages.get(question_key(pending.mapped.content.question))
            if page is None:  # already on the site under the same question: matched, kept
                page = find_article(pending.mapped.content.question)
                self.report.count("post", "matched an existing article")
            else:
                self.report.count("post", "created")
            if page is not None:
                made.append((pending, page, lead))
        self.remember_many(Kind.POST, [(p.item.wp_id, page, p.digest) for p, page, _l in made])
        self.comments([(p.item, page) for p, page, _l in made])
        self.post_redirects([(p.item, page) for p, page, _l in made])

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
        return self.attachment(wp_id, self.images, get_image_model(), self.upload)

    def document(self, wp_id):
        """The Wagtail document for a non-image attachment (a PDF leaflet), uploaded once: the
        same file (Document.file_hash) is reused."""
        return self.attachment(wp_id, self.documents, get_document_model(), self.upload_document)

    def placeholder(self):
        """The one picture that stands in for every missing one: a grey panel an editor sees in
        the figure and replaces (same file every time, so uploaded once)."""
        if self.options.dry_run:
            return None
        if self.placeholder_image is None:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "missing-picture.png"
                PILImage.new("RGB", (640, 360), (222, 222, 222)).save(path)
                self.placeholder_image, _ = upload_image(path, title=PLACEHOLDER_TITLE)
        return self.placeholder_image

    def attachment(self, wp_id, made, model, upload):
        """What an attachment became: from this run (`made`), from an earlier run's record, or
        uploaded now; None when it cannot be (reported by `upload`)."""
        if wp_id not in made:
            item = self.attachments.get(wp_id)
            found = None
            if item is not None:
                record = self.record(Kind.ATTACHMENT, wp_id)
                found = model.objects.filter(pk=record.object_id).first() if record else None
                if found is None:
                    found = upload(item, model)
                else:
                    self.report.count("attachment", "unchanged")
            made[wp_id] = found
        return made[wp_id]

    def upload_document(self, item, model):
        source = self.upload_source(item)
        if source is None:
            return None
        suffix = source.suffix.lower().lstrip(".")
        allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
        if allowed and suffix not in allowed:
            self.report.count("attachment", "refused")
            self.report.warn(
                "attachment", item.title, item.attachment_url, f"documents may not be .{suffix}"
            )
            return None
        if self.options.dry_run:
            self.report.count("attachment", "would be created")
            return None
        data = source.read_bytes()
        digest = hashlib.sha1(data).hexdigest()
        document = model.objects.filter(file_hash=digest).first()
        if document is None:
            document = model(title=clean_line(item.title)[:255] or source.name)
            document.file.save(source.name, ContentFile(data), save=False)
            document.save()
            self.report.count("attachment", "created")
        else:
            self.report.count("attachment", "reused (same file)")
        self.remember(Kind.ATTACHMENT, item.wp_id, document)
        return document

    def rewrite_links(self, blocks):
        """Links to the old site's uploads that became documents point at the documents here
        (their serve address, which the rich-text editor keeps as a plain link: the articles'
        text features have no document links)."""
        for block in blocks:
            value = block["value"]
            if isinstance(value, str):
                block["value"] = self.rewrite_html(value)
            elif isinstance(value, dict):
                for key, text in value.items():
                    if isinstance(text, str) and "<a " in text:
                        value[key] = self.rewrite_html(text)
        return blocks

    def rewrite_html(self, html):
        def replace(match):
            wp_id = self.attachment_urls.get(_url_key(unescape(match.group(1))))
            if wp_id is None or self.is_image(self.attachments[wp_id]):
                return match.group(0)
            document = self.document(wp_id)
            return f'<a href="{escape(document.url)}">' if document else match.group(0)

        return LINK.sub(replace, html)

    def upload_source(self, item):
        """The attachment's file in --uploads, or None (reported) when it is not there."""
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
        return source

    def upload(self, item, model):
        """Through core.images.upload_image, like every image that enters the site: metadata
        stripped, limits applied, the same cleaned file reused."""
        source = self.upload_source(item)
        if source is None:
            return None
        if self.options.dry_run:
            self.report.count("attachment", "would be created")
            return None
        try:
            image, created = upload_image(source, title=clean_line(item.title) or source.name)
        except ValidationError as error:
            self.report.count("attachment", "refused")
            self.report.warn(
                "attachment", item.title, item.attachment_url, " ".join(error.messages)
            )
            return None
        self.report.count("attachment", "created" if created else "reused (same file)")
        self.remember(Kind.ATTACHMENT, item.wp_id, image)
        return image

    def place_media(self, item, mapped):
        """The body with each Figure, Table and Video made a block of the article, where the
        article has such a block, else reported; and the lead image (the featured image)."""
        blocks = []
        self.rewrite_links(mapped.content.body)
        for block in mapped.content.body:
            if block["type"] != "media":
                blocks.append(block)
                continue
            made = self.media_block(block["value"], item)
            if made is not None:
                blocks.append(made)
        lead = None
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail.isdigit():
            lead = self.image(int(thumbnail))
            attachment = self.attachments.get(int(thumbnail))
            if lead is not None and attachment is not None:
                alt = clean_line(attachment.meta.get("_wp_attachment_image_alt", ""))[:250]
                mapped.content.lead_image, mapped.content.lead_image_alt = lead, alt
        return blocks, lead

    def media_block(self, media, item):
        if isinstance(media, Figure):
            return self.figure(media, item)
        if isinstance(media, Table):
            return self.table(media, item)
        return self.video(media, item)

    def figure(self, media, item):
        image = self.image(media.attachment_id) if media.attachment_id else None
        if image is None:
            image = self.placeholder()
            if image is None:  # a dry run makes none
                return None
            self.report.count("attachment", "placeholders in articles")
            self.report.warn(
                "post",
                item.title,
                item.link,
                f"a figure's picture is missing ({media.src or 'no address'}): the figure holds "
                "the placeholder “Picture missing from the WordPress import” until an editor "
                "chooses the picture",
            )
        attachment = self.attachments.get(media.attachment_id)
        alt = media.alt or (
            attachment.meta.get("_wp_attachment_image_alt", "") if attachment else ""
        )
        caption = media.caption or (clean_line(attachment.excerpt) if attachment else "")
        if not alt:
            self.report.warn(
                "post",
                item.title,
                item.link,
                "a figure has no alt text: marked decorative, check it",
            )
        return {
            "type": "figure",
            "value": figure_value(image, alt=clean_line(alt)[:500], caption=caption[:400]),
        }

    def table(self, media, item):
        headings = media.header or (media.rows[0] if media.rows else [])
        rows = media.rows if media.header else media.rows[1:]
        if not headings or not rows or not media.caption:
            self.report.warn(
                "post",
                item.title,
                item.link,
                "a table without a caption or a header row: its headings and caption need an "
                "editor (the first row is used as headings, the caption is “Table”)",
            )
        headings = [h or f"Column {n + 1}" for n, h in enumerate(headings)]
        value = table_value(media.caption or "Table", headings, rows, first_column_is_heading=True)
        return {"type": "table", "value": value}

    def video(self, media, item):
        """A video block needs a poster, a duration and a transcript that WordPress does not
        have: the video stays as a link for an editor to turn into one, and is reported."""
        self.report.warn(
            "post",
            item.title,
            item.link,
            f"a video ({media.url}) became a link: add its poster, duration and transcript as a "
            "video block",
        )
        label = escape(media.caption or "Watch the video")
        return {"type": "paragraph", "value": f'<p><a href="{escape(media.url)}">{label}</a></p>'}

    # -- comments --------------------------------------------------------------------------

    def comments(self, posts):
        """The comments of (wxr.Item, article) pairs: top-level ones in one statement, then the
        replies under them (HealthPress threads one level deep)."""
        known = self.earlier_records(
            Kind.COMMENT, [c.wp_id for item, _page in posts for c in item.comments]
        )
        tops, replies = [], []
        for item, page in posts:
            top = {}  # wp comment id -> its top-level ancestor's wp id
            by_id = {c.wp_id: c for c in item.comments}
            for c in item.comments:
                root, seen = c, set()
                while root.parent and root.parent in by_id and root.wp_id not in seen:
                    seen.add(root.wp_id)
                    root = by_id[root.parent]
                top[c.wp_id] = root.wp_id
            for c in item.comments:
                comment = self.comment(c, page, known)
                if comment is not None:
                    (tops if top[c.wp_id] == c.wp_id else replies).append(
                        (c, comment, top[c.wp_id])
                    )
        made = self.save_comments(tops, {})
        roots = {root for _c, _m, root in replies if root not in made}
        made |= {int(wp_id): pk for wp_id, pk in self.earlier_records(Kind.COMMENT, roots).items()}
        self.save_comments(replies, made)

    def comment(self, c, page, known):
        if c.kind in ("pingback", "trackback"):
            self.report.count("comment", f"{c.kind}s skipped")
            return None
        status = COMMENT_STATUSES.get(c.approved)
        if status is None:
            self.report.count(
                "comment", "skipped (trash)" if c.approved == "trash" else f"skipped ({c.approved})"
            )
            return None
        if str(c.wp_id) in known:
            self.report.count("comment", "unchanged")
            return None
        body = clean_text(c.content).strip()[:MAX_COMMENT]
        if not body:
            self.report.count("comment", "skipped (empty)")
            return None
        comment = Comment(
            article=page,
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
        return comment

    def save_comments(self, triples, parents):
        """bulk_create: no Comment.save(), so no moderation mail or notice for the past.
        Returns {WordPress comment ID: comment pk} for those created."""
        if self.options.dry_run:
            self.report.count("comment", "created", len(triples))
            return {}
        rows = []
        for c, comment, root in triples:
            if root != c.wp_id:
                if root not in parents:
                    self.report.count("comment", "skipped (its thread was not imported)")
                    continue
                comment.parent_id = parents[root]
            rows.append((c, comment))
        created = Comment.objects.bulk_create([comment for _c, comment in rows], batch_size=500)
        self.remember_many(
            Kind.COMMENT,
            [(c.wp_id, comment, "") for (c, _), comment in zip(rows, created, strict=True)],
        )
        self.report.count("comment", "created", len(created))
        return {c.wp_id: comment.pk for (c, _), comment in zip(rows, created, strict=True)}

    # -- old addresses ---------------------------------------------------------------------

    def post_redirects(self, posts):
        """Every old address of each live article: new ones in one statement; one that already
        exists (a second run, or two posts that shared an address) is kept, and counted."""
        wanted = {}
        for item, page in posts:
            if not page.live or not self.wagtail_site:
                continue  # no address yet: a run after an editor publishes it adds them
            url = page.url
            own = Redirect.normalise_path(url)
            for path in old_post_paths(item):
                normalised = Redirect.normalise_path(path)
                if normalised not in ("", "/", own):
                    wanted.setdefault(normalised, url)
        existing = set(
            Redirect.objects.filter(site=self.wagtail_site, old_path__in=list(wanted)).values_list(
                "old_path", flat=True
            )
        )
        new = [
            Redirect(old_path=path, site=self.wagtail_site, redirect_link=url, is_permanent=True)
            for path, url in wanted.items()
            if path not in existing
        ]
        Redirect.objects.bulk_create(new, batch_size=500)
        self.report.count("redirect", "created", len(new))
        if existing:
            self.report.count("redirect", "kept", len(existing))

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


def permalink_path(item):
    """The path (and query) of the item's permalink on the old site, or None without one."""
    if not item.link:
        return None
    link = urlsplit(item.link)
    return f"{link.path or '/'}?{link.query}" if link.query else (link.path or "/")


def old_post_paths(item):
    """Every address a post may have had: its permalink, WordPress's ?p=ID, and the common
    date-based and plain permalink forms (a site may have changed its structure over the years)."""
    paths = {f"/?p={item.wp_id}", permalink_path(item)} - {None}
    if item.slug and item.date:
        d = item.date
        paths |= {
            f"/{d:%Y}/{d:%m}/{d:%d}/{item.slug}/",
            f"/{d:%Y}/{d:%m}/{item.slug}/",
            f"/{item.slug}/",
        }
    return paths


def old_page_paths(item):
    """A page's addresses: its permalink (its parents' slugs in it) and WordPress's ?page_id=ID,
    which the home page answers (core.HomePage.serve)."""
    return {f"/?page_id={item.wp_id}", permalink_path(item)} - {None}


EDITORIAL_POLICY = re.compile(
    r"\beditorial\s+(?:polic(?:y|ies)|guidelines?|standards?|process|principles)\b", re.IGNORECASE
)


def is_editorial_policy(item):
    """A page about how the site writes and checks what it publishes: "Editorial policy",
    "Our editorial process", a slug like editorial-guidelines (not "Our editorial team")."""
    return bool(
        EDITORIAL_POLICY.search(item.title) or EDITORIAL_POLICY.search(item.slug.replace("-", " "))
    )


def _url_key(url):
    """An upload's address whatever its scheme or www.: exports mix http and https."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower().removeprefix("www.") + parts.path


def _inside(path, folder):
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


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


def import_export(path, options=None, progress=None, collected=None):
    """Import a WordPress export; returns the Report. Raises wxr.InvalidExport before writing
    anything when the file is not a readable WordPress export. `collected` is what collect(path)
    returned, when the caller already read the file once (for a progress bar's length)."""
    options = options or Options()
    summary, attachments = collected or collect(path)
    job = _Import(path, options, summary, attachments, progress)
    if job.home is None:
        raise wxr.InvalidExport("this site has no home page yet: run `manage.py start_site` first")
    try:
        with transaction.atomic() if options.dry_run else nullcontext(), bulk_import():
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
                    job.flush()
                    if progress is not None and record.post_type in wxr.POST_TYPES_READ:
                        progress(1)
            job.flush(everything=True)
            job.feeds()
            if options.dry_run:
                raise Rollback
    except Rollback:
        pass
    return job.report
