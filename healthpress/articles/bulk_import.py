"""Many new articles at once: the batch service beside save_article().

save_article() is the service for one article (the admin, a re-import of a changed file, the
demo); it runs every per-article side effect of Wagtail's save and publish. For a catalogue moving
across (thousands of files, a WordPress export, the benchmark) those side effects are the cost:
measured before this module, `import_articles --publish` of 400 MedQuAD answers managed 1.8
articles/s on a running site and 28/s in a process of its own (issue 27). Here the articles of a
batch are written together instead:

- pages, their article rows, tags, revisions and log entries with `bulk_create` (one statement
  per table and batch), which by Django's definition calls no save() and sends no signals: so no
  per-article search indexing, reference indexing, purge, `page_published`, newsletter run or
  embedding task, and no other app's handler needs disconnecting;
- the tree paths from treebeard's own numbering (see `child_paths`), the parent's `numchild` in
  one update: `Page.find_problems()` finds nothing wrong afterwards;
- then, for the batch, in the same transaction: the search index of every backend that updates on
  save (the documented `AUTO_UPDATE` option says which; `update_index` does the same work),
  Wagtail's reference index queued as a task (tasks.index_references, as Wagtail queues it after
  each save), and `bulk_import_finished` for the apps above that batch their own per-article work
  (the reading level, queued too; the embeddings; the newsletter's "new since" marks, so that old
  articles are never mailed as new);
- one purge of the page cache at the end.

No query is made per article: the pages' child relations are set in memory (_write_batch), and
what costs per article beyond the rows themselves (the reference index's extraction and queries,
textstat's syllable counting) is the task worker's, after the batch commits: together they were
half of the import's time (issue 27, docs/performance.md).

Each batch commits on its own, with its index entries and its queued tasks: a run that stops
halfway (a crash, ^C) keeps whole batches, and running it again skips the articles already in
(same question), so every article ends up once. Articles already on the site are skipped, never
updated: a changed article goes through save_article(), which keeps its history.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from .content import bulk_import_finished, question_key, question_slug, same_question
from .models import ArticlePage, ArticlePageTag
from .publishing import OPERATOR_PUBLISH, operator_name
from .review import set_review
from .tasks import index_references

BATCH_SIZE = 500


@dataclass
class BulkArticle:
    """One article to import: its content (content.ArticleContent) and who wrote it."""

    content: object
    author: object = None  # a people.Person
    reviewer: object = None  # with content.last_reviewed: a review done before the import
    published_at: date | datetime | None = None  # when it first went live elsewhere


@dataclass
class BulkImportResult:
    created: list = field(default_factory=list)  # pks of the new articles, in input order
    skipped: int = 0  # already on the site (or twice in the input)


def import_articles_in_bulk(
    items, parent, *, publish=False, via="", progress=None, batch_size=BATCH_SIZE
):
    """Import `items` (BulkArticle, any iterable) as new articles under `parent` (a topic).

    `publish` makes them live at once (an operator's act named by `via`, logged in each page's
    history like save_article's); otherwise each is a draft waiting for review. `progress`, if
    given, is called with the number of items handled after each batch (tqdm's `update`).
    Returns a BulkImportResult. Run it in a process of its own (a command, the benchmark): a
    batch holds the database's write lock while it is written.
    """
    from healthpress.pagecache.purge import purge_all

    result = BulkImportResult()
    seen = set()
    items = iter(items)
    try:
        while batch := list(islice(items, batch_size)):
            with transaction.atomic():
                parent = Page.objects.select_for_update().get(pk=parent.pk).specific
                new = _new_articles(batch, seen)
                result.skipped += len(batch) - len(new)
                result.created += _write_batch(new, parent, publish=publish, via=via)
            if progress:
                progress(len(batch))
    finally:
        if result.created:
            purge_all()
    return result


def _new_articles(batch, seen):
    """The items not on the site yet (nor earlier in the run), each with the slug it gets."""
    slugs = {question_slug(item.content.question) for item in batch}
    on_site = dict(
        ArticlePage.objects.filter(slug__in=slugs).values_list("slug", "title").order_by()
    )
    new, taken = [], set()
    for item in batch:
        question = item.content.question
        key = question_key(question)
        if key in seen:
            continue
        seen.add(key)
        slug = question_slug(question)
        if slug in on_site or slug in taken:
            if slug in on_site and same_question(on_site[slug], question):
                continue
            slug = _free_slug(slug, question, taken=taken)
            if slug is None:
                continue  # a longer question sharing the slug prefix, already imported
        taken.add(slug)
        new.append((item, slug))
    return new


def _free_slug(base, question, taken):
    """The first of base-2, base-3, ... not taken, or None when one of them already holds this
    question (imported by an earlier run). Rare: only questions that slugify alike get here."""
    on_site = dict(
        ArticlePage.objects.filter(slug__startswith=base).values_list("slug", "title").order_by()
    )
    n = 2
    while True:
        slug = f"{base}-{n}"
        if slug in on_site and same_question(on_site[slug], question):
            return None
        if slug not in on_site and slug not in taken:
            return slug
        n += 1


def child_paths(parent, count):
    """Tree paths for `count` new last children of `parent`.

    Treebeard's public API adds one child at a time (`add_child`, and `load_bulk` calls it per
    node): a query for the last child and an update of the parent each. Its path scheme is
    public though (MP_Node.steplen, .alphabet and numconv_obj()): a child's path is the parent's
    plus its position, written in `alphabet`, `steplen` characters wide. Treebeard's own helper
    for that (`_get_path`) is private, so it is written out here.
    """
    last = parent.get_last_child()
    start = Page.numconv_obj().str2int(last.path[-Page.steplen :]) if last else 0
    convert = Page.numconv_obj().int2str
    return [
        parent.path + convert(n).rjust(Page.steplen, Page.alphabet[0])
        for n in range(start + 1, start + count + 1)
    ]


def _write_batch(new, parent, *, publish, via):
    if not new:
        return []
    now = timezone.now()
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    tags = _tags({name for item, _ in new for name in item.content.tags})
    # The page's other child relations (Wagtail's admin comments), set in memory as modelcluster
    # allows: the revision's content and the reference index read them from the page, not from
    # the database (two queries per article otherwise).
    empty_relations = [
        relation.get_accessor_name()
        for relation in get_all_child_relations(ArticlePage)
        if relation.get_accessor_name() != "tagged_items"
    ]

    pages = []
    for (item, slug), path in zip(new, child_paths(parent, len(new)), strict=True):
        page = _article_page(item, slug, publish=publish, now=now)
        page.path, page.depth, page.numchild = path, parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{slug}/"
        page.locale_id = parent.locale_id
        page.content_type = article_type
        # In memory, for the revision and the indexes: the child relation as modelcluster sets
        # it (taggit's tags.set() looks each tag up again, 2 ms per article).
        page.tagged_items = [ArticlePageTag(tag=tags[name]) for name in item.content.tags]
        for relation in empty_relations:
            setattr(page, relation, [])  # a new page has none: not a query per page to find out
        pages.append(page)

    _insert_pages(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    ArticlePageTag.objects.bulk_create(
        ArticlePageTag(tag=tags[name], content_object_id=page.pk)
        for page, (item, _) in zip(pages, new, strict=True)
        for name in item.content.tags
    )

    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=article_type,
            base_content_type=page_type,
            object_id=str(page.pk),
            object_str=page.title,
            created_at=now,
            content=page.serializable_data(),
        )
        for page in pages
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = now
        if publish:
            page.live_revision = revision
    _point_at_revisions(pages, page_type, publish=publish, now=now)
    _log(pages, revisions, article_type, publish=publish, via=via, now=now)

    _index(pages)
    ids = [page.pk for page in pages]
    bulk_import_finished.send(sender=ArticlePage, article_ids=ids)
    return ids


def _point_at_revisions(pages, page_type, *, publish, now):
    """Each page's latest (and, published, live) revision: the one just written for it, in one
    UPDATE with a subquery on Wagtail's (base_content_type, object_id) index. bulk_update's
    CASE over the batch measured 2.5 ms per article."""
    revision = Subquery(
        Revision.objects.filter(
            base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField())
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    changes = {"latest_revision": revision, "latest_revision_created_at": now}
    if publish:
        changes["live_revision"] = revision
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(**changes)


def _article_page(item, slug, *, publish, now):
    content = item.content
    page = ArticlePage(
        title=content.question,
        draft_title=content.question,
        slug=slug,
        short_answer=content.short_answer,
        body=content.body,
        references=content.references,
        condition_name=content.condition,
        author=item.author,
        last_updated=content.last_updated,
        seo_title=content.seo_title,
        lead_image=content.lead_image,
        lead_image_alt=content.lead_image_alt,
        search_description=content.search_description,
        live=publish,
        has_unpublished_changes=not publish,
    )
    if item.reviewer is not None and content.last_reviewed:
        set_review(page, item.reviewer, content.last_reviewed)
    if publish:
        page.first_published_at = _aware(item.published_at) if item.published_at else now
        page.last_published_at = now
    return page


def _tags(names):
    """taggit's Tag for each name, created when missing (few distinct names per batch)."""
    found = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in names - found.keys():
        found[name] = Tag.objects.create(name=name)  # Tag.save picks a free slug
    return found


def _insert_pages(pages):
    """Write the pages: the wagtailcore_page rows with bulk_create, then the article rows.

    Django's bulk_create refuses a multi-table child model (ArticlePage extends Page), so the
    article rows go in with one parameterised executemany whose table and columns are the
    model's own (_meta), each value prepared by its field as the ORM would (get_db_prep_save).
    Hand-written on purpose: the ORM's alternative is one save() per article, with its signals,
    and that path measured 28 articles/s against the 200/s budget of issue 27.
    """
    base_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    rows = Page.objects.bulk_create(
        Page(**{name: getattr(page, name) for name in base_fields}) for page in pages
    )
    for page, row in zip(pages, rows, strict=True):
        page.page_ptr_id = page.id = row.pk
    fields = ArticlePage._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(ArticlePage._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [f.get_db_prep_save(f.pre_save(page, add=True), connection) for f in fields]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _log(pages, revisions, article_type, *, publish, via, now):
    """The page history Wagtail's own create and publish write, and the operator's publish
    record (publishing.log_operator_publish), one bulk insert for the batch."""
    operator = operator_name()
    entries = []
    for page, revision in zip(pages, revisions, strict=True):
        common = {
            "content_type": article_type,
            "label": page.title,
            "page_id": page.pk,
            "revision": revision,
            "timestamp": now,
        }
        entries.append(PageLogEntry(action="wagtail.create", content_changed=True, **common))
        if publish:
            entries.append(PageLogEntry(action="wagtail.publish", content_changed=True, **common))
            data = {
                "via": via,
                "operator": operator,
                "reviewed_on": page.last_reviewed.isoformat() if page.last_reviewed else None,
                "reviewer": page.reviewer.name if page.reviewer_id else None,
            }
            entries.append(PageLogEntry(action=OPERATOR_PUBLISH, data=data, **common))
    PageLogEntry.objects.bulk_create(entries)


def _index(pages):
    """What saving each page would have indexed, for the whole batch: the search index of every
    backend that updates on save (WAGTAILSEARCH_BACKENDS' AUTO_UPDATE, the documented switch),
    as `update_index` writes it, at once (readers find a published article as soon as it is
    live); Wagtail's reference index (the admin's usage counts) queued."""
    from wagtail.search.backends import get_search_backends

    # The pages in memory, as written: their author and tags are loaded, their other child
    # relations known to be empty (_write_batch), so neither indexing queries per article.
    for backend in get_search_backends(with_auto_update=True):
        backend.get_index_for_model(ArticlePage).add_items(ArticlePage, pages)
    # The reference index in the background, a task per batch, as Wagtail queues it per save.
    # Queued inside the batch's transaction: the database task backend stores it with the batch.
    index_references.enqueue([page.pk for page in pages])


def _aware(value):
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime(value.year, value.month, value.day, 9, 0))
