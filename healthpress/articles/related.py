"""Related questions under an article: same topic first, then the most shared tags.

The rule, as docs/review.md tells editors: up to `limit` live, public articles, never the
article itself.
1. From its topic, the articles that share a tag with it, but only the `candidates` newest of
   them (RELATED_CANDIDATES): among those, the ones sharing the most tags first, then the newest.
   An older article sharing more tags is passed over once the topic has that many newer sharers:
   the list favours recent answers, and reading a window of the topic costs the same at 100
   sharers or 10,000 (issue 27: ranking every sharer took 25 ms on SQLite and 31-34 ms on
   PostgreSQL at 10,000 sharers, docs/performance.md).
2. If the topic has fewer sharers than the list, its newest others follow (they share no tag);
3. if still short (a topic of `limit` articles or fewer), other topics' articles by shared
   tags, then age.
Newest means first published latest, the id breaking ties.

Built with the ORM on Wagtail's own rules: `live().public()` decides what a reader may see (so
no second statement of the privacy rule can drift from Wagtail's; `public()` reads the private
areas once per purge, core/pages.py). Two SELECTs besides the taggings of the article's tags
(at most FEW_TAGGINGS + 1 of them, from the tag index), each reading an index range rather than
every article:
- the candidates, by one of two reads, whichever is short: with few taggings, the sharers by
  their ids; with more, the topic's articles newest first, read in that order from the index of
  each page's parent path (core 0005), which stops after `candidates` sharers, each with its
  number of shared tags from the tag index; ranked here. (A tag common elsewhere and rare in
  this topic still walks the topic: docs/performance.md.)
- the cards: of those alone when there are `limit` of them (the usual case on a big site), else
  ranked and loaded in one query with the topic's newest others (which share no tag) and then
  other topics' articles by shared tags and age.
The rendered page is kept whole by the page cache, so this runs once per article per purge.
tests/articles/test_related_paths.py checks every path against the rule written out in Python.
"""

from collections import Counter

from django.db.models import Case, Count, Exists, OuterRef, Subquery, When
from django.db.models.functions import Coalesce

from healthpress.core.models import in_id_order
from healthpress.core.pages import every_page
from healthpress.core.tree import siblings_by_parent_path, siblings_q

NEWEST = ("-first_published_at", "pk")
# Up to this many taggings of an article's tags, the sharers are read by their ids from the tag
# index; beyond it, the topic is walked newest first until the window is full.
FEW_TAGGINGS = 1000


def related_articles(article, limit, candidates=None, few=FEW_TAGGINGS):
    from .models import RELATED_CANDIDATES, ArticlePage, ArticlePageTag

    candidates = max(limit, RELATED_CANDIDATES if candidates is None else candidates)
    same_topic = siblings_q(article)
    my_tags = ArticlePageTag.objects.filter(content_object=article.pk).values("tag_id")
    # Every tagging of the article's tags, its own included, unless there are more than `few`.
    taggings = list(
        ArticlePageTag.objects.filter(tag__in=my_tags).values_list(
            "content_object_id", flat=True
        )[: few + 1]
    )
    its_shared = ArticlePageTag.objects.filter(tag__in=my_tags, content_object_id=OuterRef("pk"))
    shares_a_tag = Exists(its_shared)
    shared_tags = Coalesce(
        Subquery(
            its_shared.values("content_object_id").annotate(count=Count("pk")).values("count")
        ),
        0,
    )
    # The topic's other live, public articles, newest first, read in that order from the index
    # of each page's parent path (core 0005): a query with a limit stops after a few rows.
    siblings = (
        every_page()
        .live()
        .public()
        .filter(siblings_by_parent_path(article))
        .exclude(pk=article.pk)
        .order_by(*NEWEST)
    )
    if len(taggings) <= few:
        # Few sharers (or no tag): they are all in hand, each tagging one shared tag, so the
        # window is read by their ids, and the topic by the path range rather than the children
        # index, which SQLite walks whole even with the ids (5 sharers in a 25,000-article topic:
        # the walk 29 ms, the ids on the children index 4.9 ms, on the path range 0.08 ms;
        # docs/performance.md).
        shared = Counter(pk for pk in taggings if pk != article.pk)
        by_id = every_page().live().public().filter(same_topic, pk__in=list(shared))
        window = by_id.order_by(*NEWEST).values_list("pk", flat=True)[:candidates]
        newest = [(pk, shared[pk]) for pk in window] if shared else []
    else:
        newest = siblings.filter(shares_a_tag).values_list("pk", shared_tags)[:candidates]
    # Most shared tags first; the sort is stable, so newest first within each number.
    in_topic = [pk for pk, _ in sorted(newest, key=lambda row: -row[1])][:limit]
    siblings = siblings.values_list("pk", flat=True)
    cards = ArticlePage.objects.live().public().exclude(pk=article.pk).cards()
    if len(in_topic) == limit:  # the usual case on a big site
        return in_id_order(cards, in_topic)
    # Fewer than `limit` candidates: `in_topic` holds every article of the topic that shares a
    # tag, ranked as the ranking below ranks them. Next come the topic's
    # newest others (as their own query: ranked with the rest below, an untagged article's
    # list sorted its whole topic, 79 ms for 25,000 on SQLite).
    others = list(siblings.exclude(pk__in=in_topic)[: limit - len(in_topic)])
    if len(in_topic) + len(others) == limit:
        return in_id_order(cards, in_topic + others)
    # A topic of `limit` articles or fewer: then other topics' articles by shared tags and
    # age. One query ranks and loads them all.
    return list(
        cards.filter(same_topic | shares_a_tag)
        .annotate(
            group=Case(When(pk__in=in_topic, then=0), When(same_topic, then=1), default=2),
            shared_tags=shared_tags,
        )
        .order_by("group", "-shared_tags", *NEWEST)[:limit]
    )


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
