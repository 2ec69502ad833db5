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
        f"a.{column(ArticlePage, 'author')}, {page_columns('p', CARD_COLUMNS)}, "
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
    articles fills every list in it with its own. The count is made as related_articles() makes
    it (live, no view restriction), so a topic the rule skips can never list the article;
    topics whose membership changes are purged whole by the publish, unpublish and move rules.
    `tag_ids` (default: the article's tags now) lets a publish name tags it has just lost."""
    from django.db.models import Exists, OuterRef, Value
    from django.db.models.functions import Concat, Length, Substr

    from .models import RELATED_LIMIT, ArticlePage, ArticlePageTag

    limit = RELATED_LIMIT if limit is None else limit
    if tag_ids is None:
        tag_ids = ArticlePageTag.objects.filter(content_object_id=article.pk).values("tag_id")
    steplen = ArticlePage.steplen
    topic = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
    # The live public articles of the candidate's topic (itself included), found the way
    # treebeard's get_children() finds children: a path range and the depth, so the database
    # walks the path index. Whether there are more than `limit` is asked with EXISTS and an
    # OFFSET, which stops at the limit+1st row instead of counting a large topic.
    in_topic = (
        ArticlePage.objects.live()
        .public()
        .filter(
            depth=OuterRef("depth"),
            path__range=(Concat(topic, Value("0" * steplen)), Concat(topic, Value("Z" * steplen))),
        )
    )
    own_topic = article.path[:-steplen]
    return (
        ArticlePage.objects.live()
        .filter(tagged_items__tag_id__in=tag_ids)
        .exclude(pk=article.pk)
        .exclude(path__startswith=own_topic, depth=article.depth)  # purged as its topic's
        .exclude(Exists(in_topic[limit : limit + 1]))  # itself and `limit` others: no room
        .distinct()
        .order_by()
        .only("url_path")
    )
