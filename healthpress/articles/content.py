"""Article content as plain data, and the one function that turns it into a saved ArticlePage.

The importer and the demo loader both describe articles this way, so an article is created,
updated and published by exactly one piece of code.
"""

from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

from django.db import transaction
from django.dispatch import Signal
from django.utils.text import slugify

from .models import ArticlePage
from .publishing import log_operator_publish
from .review import clear_review, set_review

SLUG_MAX = 80
INDEX_CHUNK = 500  # pages indexed per statement at the end of a bulk import

# The pks saved inside bulk_import(), or None outside it.
_bulk_saved = ContextVar("bulk_saved", default=None)

# Sent once at the end of bulk_import(), with `article_ids` (every article saved in the block,
# sorted), for apps above this one that batch their per-article work during an import (search
# embeddings); they skip it per article while in_bulk_import() is true.
bulk_import_finished = Signal()


def in_bulk_import():
    """True inside bulk_import(): per-article side effects wait for bulk_import_finished."""
    return _bulk_saved.get() is not None


def text_to_html(text):
    """Plain text as the content of a rich-text element: escaped, never trusted as markup.

    Escaped the way Wagtail's rich-text editor stores text: &, < and > only, since quotes need
    escaping only inside attributes.
    """
    return escape(text, quote=False)


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs as rich-text HTML."""
    return "".join(f"<p>{text_to_html(p)}</p>" for p in paragraphs if p.strip())


def question_slug(question):
    """The stable identity of an article: its question, slugified and cut at a word boundary."""
    slug = slugify(question)
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug or "article"


@dataclass
class ArticleContent:
    question: str
    short_answer: str
    # StreamField raw data: [{"type": "section", "value": {...}}, ...]; rich text values are HTML.
    body: list = field(default_factory=list)
    last_updated: date | None = None
    # Trust signals: the condition the article is about, its sources (StreamField raw data:
    # [{"type": "reference", "value": {...}}]), tags for related articles, and the review date.
    condition: str = ""
    references: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    last_reviewed: date | None = None
    # From another system's SEO fields (a WordPress import); left alone when empty.
    seo_title: str = ""
    search_description: str = ""
    # A Wagtail Image (importer.py and the demo upload it first) and its alt text.
    lead_image: object = None
    lead_image_alt: str = ""

    @property
    def slug(self):
        return question_slug(self.question)

    def section_headings(self):
        return [b["value"]["heading"] for b in self.body if b["type"] == "section"]


def question_key(question):
    """A question as questions are matched: whatever its case, spacing and closing question
    mark."""
    return " ".join(question.casefold().split()).rstrip(" ?")


def same_question(a, b):
    """Questions match whatever their case, spacing and closing question mark."""
    return question_key(a) == question_key(b)


def find_article(question):
    """The article asking this question. Long questions that share a slug prefix stay apart."""
    base = question_slug(question)
    for page in ArticlePage.objects.filter(slug__startswith=base).order_by("pk"):
        if page.slug in (base, *(f"{base}-{n}" for n in range(2, 100))) and same_question(
            page.title, question
        ):
            return page
    return None


def free_slug(base):
    taken = set(ArticlePage.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_article(
    content,
    *,
    topic,
    author=None,
    reviewer=None,
    publish=False,
    published_at=None,
    user=None,
    via="",
):
    """Create or update the article for `content.question`; returns (page, created).

    An existing article (same question) gets a new revision and stays where it is; a new one is
    created under `topic`. Unless `publish`, the revision is a draft waiting for review.
    A `reviewer` with `content.last_reviewed` records a review done outside the admin workflow
    (the demo, a migration from another system).

    `publish` with a `user` asks that user's permission like the admin does (publishing.py):
    only an administrator's is enough. Without a user it is an operator's act (a command, named
    by `via`): it is logged in the page's history, and what goes live without a review recorded
    here carries none, even if an earlier version of the article was reviewed, so the page says
    it has not been medically reviewed rather than vouch for words nobody checked.
    """
    existing = find_article(content.question)
    if existing:
        page = existing.get_latest_revision_as_object()
    else:
        page = ArticlePage(slug=free_slug(content.slug), live=False)
        if published_at:
            page.first_published_at = _aware(published_at)
    # Only what the content describes is set: an editor's SEO title or dates survive a re-import.
    page.title = content.question
    page.short_answer = content.short_answer
    page.body = content.body
    if author is not None:
        page.author = author
    if content.last_updated:
        page.last_updated = content.last_updated
    if content.condition:
        page.condition_name = content.condition
    if content.references:
        page.references = content.references
    if content.lead_image is not None:
        page.lead_image = content.lead_image
        page.lead_image_alt = content.lead_image_alt
    if content.tags:
        page.tags.set(content.tags)
    if content.seo_title:
        page.seo_title = content.seo_title
    if content.search_description:
        page.search_description = content.search_description
    if reviewer is not None and content.last_reviewed:
        set_review(page, reviewer, content.last_reviewed)
    elif publish:
        clear_review(page)
    bulk = _bulk_saved.get()
    with _reference_index_deferred() if bulk is not None else nullcontext():
        if not existing:
            topic.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
            page.refresh_from_db()
            if user is None:
                log_operator_publish(page, revision, via)
    if bulk is not None:
        bulk.add(page.pk)
    return page, existing is None


@contextmanager
def bulk_import():
    """For saving many articles at once through save_article (a migration from another system
    updating articles it brought earlier, the search benchmark); new articles in number go
    through bulk_import.import_articles_in_bulk instead.

    Inside the block save_article does what it always does (revisions, publishing, log entries,
    the publish signals), except what each save repeats and that is done once at the end
    instead, for every article saved in the block:

    - the search index: Wagtail re-indexes a page on each of its three saves (created, revised,
      published) and its topic on every new child. Inside the block every search backend's
      `AUTO_UPDATE` (WAGTAILSEARCH_BACKENDS, the documented switch, read by Wagtail at each save)
      is off; at the end each article is indexed once, in chunks of INDEX_CHUNK, by every
      backend that updates on save, as `update_index` writes it;
    - Wagtail's reference index (the admin's "usage" counts): queued once per chunk at the end
      (articles.tasks.index_references), as Wagtail queues it per save;
    - the page cache: each publish purges the article, its topic, every other article in the
      topic and the site-wide listings, so a topic of 5,000 articles made each publish slower
      than the one before. Publishes inside the block purge nothing
      (pagecache.rules.publish_purges_held); at the end the whole page cache is purged once;
    - the apps above that react to each publish (embeddings) wait for `bulk_import_finished`
      while in_bulk_import() is true.

    No signal handler is disconnected. The search switch is a setting, so it holds for the
    whole process while the block runs: use it in a process of its own (a management command,
    the benchmark), never in a web request. Wagtail still queues its index task on each save and
    reads the switch when the task runs: with the immediate task backend that is inside the
    block (nothing indexed); a separate worker running the task later indexes the article again,
    which is harmless. A single editor's save or publish, outside the block, is unchanged.
    """
    from healthpress.pagecache.purge import purge_all
    from healthpress.pagecache.rules import publish_purges_held

    if _bulk_saved.get() is not None:
        yield  # nested: the outer block does the work at its end
        return
    saved = set()
    token = _bulk_saved.set(saved)
    try:
        with _search_auto_update_off(), publish_purges_held():
            yield
    finally:
        _bulk_saved.reset(token)
        # What was saved before an error is committed (or rolled back: then it is not found).
        _index_once(saved)
        purge_all()
        bulk_import_finished.send(sender=ArticlePage, article_ids=sorted(saved))


@contextmanager
def _search_auto_update_off():
    """Every search backend's AUTO_UPDATE off while the block runs, as a site would set it in
    WAGTAILSEARCH_BACKENDS; the settings the process started with come back after."""
    from django.conf import settings

    backends = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**options, "AUTO_UPDATE": False} for name, options in backends.items()
    }
    try:
        yield
    finally:
        settings.WAGTAILSEARCH_BACKENDS = backends


def _reference_index_deferred():
    # Not in Wagtail's documentation, and no documented way defers the reference index: this is
    # the context manager Wagtail's own `rebuild_references_index` command uses.
    from wagtail.signal_handlers import disable_reference_index_auto_update

    return disable_reference_index_auto_update()


def _index_once(pks):
    from wagtail.search.backends import get_search_backends

    from .tasks import index_references

    pks = sorted(pks)
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(pks), INDEX_CHUNK):
        chunk = pks[start : start + INDEX_CHUNK]
        pages = list(ArticlePage.get_indexed_objects().filter(pk__in=chunk))
        for backend in backends:
            backend.get_index_for_model(ArticlePage).add_items(ArticlePage, pages)
        index_references.enqueue([page.pk for page in pages])


def _aware(value):
    from django.utils import timezone

    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime(value.year, value.month, value.day, 9, 0))
