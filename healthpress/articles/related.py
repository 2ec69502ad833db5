"""Related questions under an article: same topic first, then the most shared tags.

One statement written out by hand (see core/sql.py for why). The ORM version of the same query,
with its tag-count subquery, topic CASE and restriction EXISTS, cost about 7 ms of CPU to build
on every uncached article render, while the database ran it in well under a millisecond.
tests/articles/test_trust_page.py pins the rules: same topic first, then two shared tags before
one, newest first within each, never the article itself, never a draft or a restricted page.
"""

import functools

from django.db import connection

from healthpress.core.sql import raw

# The card shows these; anything else would be loaded one query per article, so
# tests/core/test_views.py counts queries with several related articles on the page.
CARD_COLUMNS = ("id", "path", "depth", "url_path", "title", "live", "locale", "first_published_at")


def related_articles(article, limit):
    from .models import ArticlePage

    topic_path = article.path[: -article.steplen]
    params = [article.pk, len(topic_path), topic_path, article.depth, True, article.pk, limit]
    return list(raw(ArticlePage, _related_sql(connection.vendor), params))


@functools.cache
def _related_sql(vendor):
    from wagtail.models import Page

    from healthpress.core.sql import (
        column,
        joined_to_page,
        no_view_restriction,
        page_columns,
        table,
    )

    from .models import ArticlePage, ArticlePageTag

    ptr, source = joined_to_page(ArticlePage, "a")
    path, tags = column(Page, "path"), table(ArticlePageTag)
    tagged, tag = column(ArticlePageTag, "content_object"), column(ArticlePageTag, "tag")
    return (
        "SELECT * FROM ("
        f"SELECT a.{ptr}, a.{column(ArticlePage, 'short_answer')}, "
        f"a.{column(ArticlePage, 'author')}, a.{column(ArticlePage, 'lead_image')}, "
        f"a.{column(ArticlePage, 'lead_image_alt')}, {page_columns('p', CARD_COLUMNS)}, "
        f"(SELECT COUNT(*) FROM {tags} t WHERE t.{tagged} = a.{ptr} AND t.{tag} IN "
        f"(SELECT mine.{tag} FROM {tags} mine WHERE mine.{tagged} = %s)) AS shared_tags, "
        f"CASE WHEN SUBSTR(p.{path}, 1, %s) = %s AND p.{column(Page, 'depth')} = %s "
        "THEN 1 ELSE 0 END AS in_topic "
        f"{source} WHERE p.{column(Page, 'live')} = %s AND a.{ptr} <> %s "
        f"AND {no_view_restriction('p')}"
        ") ranked WHERE in_topic = 1 OR shared_tags > 0 "
        f"ORDER BY in_topic DESC, shared_tags DESC, {column(Page, 'first_published_at')} DESC, "
        f"{ptr} LIMIT %s"
    )


def articles_that_may_list(article, tag_ids=None, limit=None):
    """The live articles in other topics whose "Related questions" may show `article`: the
    inverse of related_articles(), for the page-cache purge (purge_rules.py), in one query.

    Another topic's article lists it only through a shared tag, and only when its own topic
    leaves room: same-topic articles come first, so a topic with more than `limit` live public
    articles fills every list in it with its own. Room is judged as related_articles() counts
    (live, no view restriction), so a topic ruled out can never list the article; topics whose
    membership changes are purged whole by the publish, unpublish and move rules. `tag_ids`
    (default: the article's tags now) lets a publish name tags it has just lost."""
    from django.db.models import Exists, OuterRef, Value
    from django.db.models.functions import Concat, Length, Substr

    from healthpress.core.models import TopicPage

    from .models import RELATED_LIMIT, ArticlePage, ArticlePageTag

    limit = RELATED_LIMIT if limit is None else limit
    if tag_ids is None:
        tag_ids = ArticlePageTag.objects.filter(content_object_id=article.pk).values("tag_id")
    steplen = ArticlePage.steplen
    # A topic's live public articles (articles live under topics only), found the way
    # treebeard's get_children() finds children: the depth and a path range, so the database
    # walks the path index. Whether a topic has more than `limit` is asked with EXISTS and an
    # OFFSET, which stops at the limit+1st row, once per topic rather than once per candidate.
    children = (
        ArticlePage.objects.live()
        .public()
        .filter(
            depth=OuterRef("depth") + 1,
            path__range=(
                Concat(OuterRef("path"), Value("0" * steplen)),
                Concat(OuterRef("path"), Value("Z" * steplen)),
            ),
        )
    )
    with_room = TopicPage.objects.exclude(Exists(children[limit : limit + 1])).values("path")
    own_topic = article.path[:-steplen]
    return (
        ArticlePage.objects.live()
        .filter(tagged_items__tag_id__in=tag_ids)
        .exclude(pk=article.pk)
        .exclude(path__startswith=own_topic, depth=article.depth)  # purged as its topic's
        .annotate(parent_path=Substr("path", 1, Length("path") - steplen))
        .filter(parent_path__in=with_room)
        .distinct()
        .order_by()
        .only("url_path")
    )
