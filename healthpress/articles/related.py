"""Related questions under an article: same topic first, then the most shared tags.

Built with the ORM on Wagtail's own rules: `live().public()` decides what a reader may see (so
no second statement of the privacy rule can drift from Wagtail's), `sibling_of()` says which
articles share the topic. One SELECT, whatever the size of the site (`public()` reads the
private areas once per purge, core/pages.py). The rendered page is kept whole by the page
cache, so this runs once per article per purge.
tests/articles/test_trust_page.py pins the rules: same topic first, then two shared tags before
one, newest first within each, never the article itself, never a draft or a restricted page.
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

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


def related_articles(article, limit):
    from .models import ArticlePage, ArticlePageTag

    my_tags = ArticlePageTag.objects.filter(content_object=article.pk).values("tag")
    shared_tags = (
        ArticlePageTag.objects.filter(content_object=OuterRef("pk"), tag__in=my_tags)
        .order_by()
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    same_topic = ArticlePage.objects.sibling_of(article, inclusive=False).values("pk")
    return list(
        ArticlePage.objects.live()
        .public()
        .exclude(pk=article.pk)
        .annotate(
            shared_tags=Coalesce(Subquery(shared_tags), 0),
            in_topic=Case(
                When(pk__in=same_topic, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(in_topic=1) | Q(shared_tags__gt=0))
        .order_by("-in_topic", "-shared_tags", "-first_published_at", "pk")
        .only(*CARD_FIELDS)[:limit]
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
