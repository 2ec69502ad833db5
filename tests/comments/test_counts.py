"""Comment counts, and the totals the block's page of comments carries, follow
CommentQuerySet.visible()."""

from django.db.models import Count, Q

from healthpress.comments.block_state import PER_PAGE
from healthpress.comments.counts import visible_counts
from healthpress.comments.models import Comment, Status
from healthpress.comments.templatetags.comments_tags import comment_threads


def add(article, status, parent=None, body="A comment."):
    return Comment.objects.create(
        article=article, parent=parent, name="R", body=body, status=status
    )


def orm_counts(article):
    counts = (
        Comment.objects.visible()
        .filter(article=article)
        .aggregate(total=Count("pk"), top=Count("pk", filter=Q(parent__isnull=True)))
    )
    return counts["total"], counts["top"]


def test_counts_agree_with_visible_for_every_mix_of_statuses(make_article):
    article, other = make_article("Counted?"), make_article("Not counted?")
    assert visible_counts(article.pk) == (0, 0) == orm_counts(article)
    for status in Status:
        top = add(article, status)
        for reply_status in Status:
            add(article, reply_status, parent=top)
    add(other, Status.APPROVED)
    # Approved top-level: 1; its approved reply: 1. Replies under unapproved threads are hidden.
    assert visible_counts(article.pk) == (2, 1) == orm_counts(article)
    assert visible_counts(other.pk) == (1, 1) == orm_counts(other)


def test_the_block_shows_the_visible_count(client, make_article):
    article = make_article()
    top = add(article, Status.APPROVED, body="Shown.")
    add(article, Status.APPROVED, parent=top, body="Shown reply.")
    add(article, Status.PENDING, body="Waiting.")
    html = client.get(article.url).content.decode()
    assert "Comments (2)" in html
    assert "Waiting." not in html


def test_every_page_of_threads_carries_the_visible_totals(make_article):
    article = make_article("Busy?")
    for n in range(PER_PAGE + 3):  # two pages of threads
        top = add(article, Status.APPROVED, body=f"Thread {n}")
        add(article, Status.APPROVED, parent=top)
        add(article, Status.PENDING, parent=top)
    hidden = add(article, Status.REJECTED)
    add(article, Status.APPROVED, parent=hidden)  # under a rejected thread: not shown
    expected = orm_counts(article)
    for page_number in (1, 2):
        data = comment_threads(article, page_number)
        assert (data["total"], data["pages"]) == (expected[0], 2)
        assert data["page_number"] == page_number
    assert len(comment_threads(article, 2)["threads"]) == 3
    assert comment_threads(article, 9)["page_number"] == 1  # past the end: the first page
