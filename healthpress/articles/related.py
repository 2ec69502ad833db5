"""Related questions under an article: same topic first, then the most shared tags.

Built with the ORM on Wagtail's own rules: `live().public()` decides what a reader may see (so
no second statement of the privacy rule can drift from Wagtail's; `public()` reads the private
areas once per purge, core/pages.py). Two SELECTs, whatever the size of the site, each reading
an index range rather than every article (issue 27: one SELECT that ranked every article of the
site took 70 ms at 20,000 articles, docs/performance.md):
- the ids of the articles sharing a tag, found from the tag index and ranked same topic first,
  then most shared tags, then newest; at most `limit` of them;
- the cards: of those alone when `limit` of them are in the same topic (the usual case on a
  big site), else of those and of the topic's newest others (a range of tree paths,
  core/tree.py), which share no tag.
The rendered page is kept whole by the page cache, so this runs once per article per purge.
tests/articles/test_trust_page.py pins the rules: same topic first, then two shared tags before
one, newest first within each, never the article itself, never a draft or a restricted page.
"""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from healthpress.core.tree import siblings_q

# The card shows these; anything else would be loaded one query per article, so
# tests/core/test_views.py counts queries with several related articles on the page.
CARD_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "title",
    "live",
    "locale",
    "first_published_at",
    "short_answer",
    "author",
    "lead_image",
    "lead_image_alt",
)
NEWEST = ("-first_published_at", "pk")


def related_articles(article, limit):
    from .models import ArticlePage, ArticlePageTag

    visible = ArticlePage.objects.live().public().exclude(pk=article.pk)
    same_topic = siblings_q(article)
    my_tags = ArticlePageTag.objects.filter(content_object=article.pk).values("tag")
    # Ranked on ids alone: grouping whole rows by article cost ten times more.
    sharing = list(
        visible.filter(tagged_items__tag__in=my_tags)
        .values("pk")
        .annotate(
            shared_tags=Count("tagged_items"),
            in_topic=Case(When(same_topic, then=Value(1)), default=0, output_field=IntegerField()),
        )
        .order_by("-in_topic", "-shared_tags", *NEWEST)
        .values_list("pk", "in_topic")[:limit]
    )
    in_topic = [pk for pk, same in sharing if same]
    cards = visible.only(*CARD_FIELDS)
    if len(in_topic) >= limit:
        found = cards.in_bulk(in_topic[:limit])
        return [found[pk] for pk in in_topic[:limit] if pk in found]  # one may just have gone
    # Fewer than `limit` same-topic articles share a tag, so `sharing` holds every one that
    # does: the topic's newest others share none and come next. One query loads the cards of
    # `sharing` (first) and those newest others.
    shared_ids = [pk for pk, _ in sharing]
    rows = list(
        cards.filter(Q(pk__in=shared_ids) | same_topic)
        .annotate(
            shared=Case(
                When(pk__in=shared_ids, then=Value(1)), default=0, output_field=IntegerField()
            )
        )
        .order_by("-shared", *NEWEST)[: limit + len(shared_ids)]
    )
    found = {row.pk: row for row in rows if row.shared}
    untagged = [row for row in rows if not row.shared]
    other_topics = [found[pk] for pk, same in sharing if not same and pk in found]
    return ([found[pk] for pk in in_topic if pk in found] + untagged + other_topics)[:limit]


def articles_that_may_list(article, tag_ids=None, limit=None):
    """The live articles in other topics whose "Related questions" may show `article`: the
    inverse of related_articles(), for the page-cache purge (purge_rules.py).

    Another topic's article lists it only through a shared tag, and only when its own topic
    leaves room: same-topic articles come first, so a topic with more than `limit` live public
    articles fills every list in it with its own. Room is judged as related_articles() counts
    (live, public), so a topic ruled out can never list the article; topics whose membership
    changes are purged whole by the publish, unpublish and move rules. `tag_ids` (default: the
    article's tags now) lets a publish name tags it has just lost.

    The tree is asked through Wagtail's and treebeard's API (`not_sibling_of()`,
    `sibling_of()`, `is_sibling_of()`): two queries whatever the number of articles, the
    candidates and one count per topic they sit in (plus the private areas for `public()`, once
    per purge: core/pages.py)."""
    from django.db.models import Count, Q

    from .models import RELATED_LIMIT, ArticlePage, ArticlePageTag

    limit = RELATED_LIMIT if limit is None else limit
    if tag_ids is None:
        tag_ids = ArticlePageTag.objects.filter(content_object_id=article.pk).values("tag_id")
    candidates = list(
        ArticlePage.objects.live()
        .filter(tagged_items__tag_id__in=tag_ids)
        .exclude(pk=article.pk)
        .not_sibling_of(article)  # its own topic is purged as the topic's
        .distinct()
        .order_by()
        .only("url_path", "path", "depth")
    )
    if not candidates:
        return []
    by_topic = []  # the candidates, one list per topic
    for candidate in candidates:
        group = next((g for g in by_topic if candidate.is_sibling_of(g[0])), None)
        if group is None:
            by_topic.append([candidate])
        else:
            group.append(candidate)
    topic_sizes = (
        ArticlePage.objects.live()
        .public()
        .aggregate(
            **{
                str(n): Count("pk", filter=Q(pk__in=ArticlePage.objects.sibling_of(g[0])))
                for n, g in enumerate(by_topic)
            }
        )
    )
    return [c for n, g in enumerate(by_topic) if topic_sizes[str(n)] <= limit for c in g]
