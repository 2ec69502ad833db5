"""core/tree.py: the pages under a page as a range of tree paths select exactly what Wagtail's
child_of() and sibling_of() select (issue 27: the range is what an index can serve on SQLite)."""

import pytest
from django.db import connection
from wagtail.models import Page

from healthpress.core.site import get_or_create_topic
from healthpress.core.tree import children_by_parent_path, children_q, siblings_q
from tests.at_size import add_articles

pytestmark = pytest.mark.django_db


def test_children_and_siblings_as_path_ranges_match_wagtails_own(home, topic):
    other = get_or_create_topic("Sleep")[0]  # the next path: must not leak into the range
    mine = add_articles(topic, 3)
    add_articles(other, 2, start=3)
    for page in (Page.get_first_root_node(), home, topic, other):
        expected = set(Page.objects.child_of(page).values_list("pk", flat=True))
        assert set(Page.objects.filter(children_q(page)).values_list("pk", flat=True)) == expected
        by_parent = Page.objects.filter(children_by_parent_path(page))
        assert set(by_parent.values_list("pk", flat=True)) == expected
    article = Page.objects.get(pk=mine[0])
    for page in (topic, article):
        expected = set(Page.objects.sibling_of(page).values_list("pk", flat=True))
        assert set(Page.objects.filter(siblings_q(page)).values_list("pk", flat=True)) == expected
    assert len(expected) == 3


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL reads a tiny table whole, index or not"
)
def test_a_topic_listing_is_read_in_order_from_the_children_index(topic):
    """core 0005 indexes ParentPath as SQL text: written with parameters (Django's Substr), the
    expression is not the index's and the listing sorted the whole topic again."""
    add_articles(topic, 3)
    sql, params = topic.article_ids()[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "hp_page_children_newest_idx" in plan and "TEMP B-TREE" not in plan
