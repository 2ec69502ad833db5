"""/questions/answered/: the articles written to answer readers' questions, newest answer first.

Only what the articles show publicly (title, short answer, link) and the date the answer was
published for the askers: never a question's text, details or anything about who asked. The
same for every reader, so the page cache keeps it (purge_rules.py says when it goes stale);
paginated like the topic pages, `?page=N` in canonical form only (core/canonical_params.py).
"""

from django.shortcuts import render

from healthpress.core.canonical_params import canonical_query
from healthpress.core.models import TopicPage, live_articles, paginate, with_topics

from .answers import answered_at_subquery
from .models import Question, Status


def answered_articles():
    """Live, public articles that answered readers' questions, by the latest answer."""
    # Started from the answered questions: asked of every live article, the latest answer took
    # 40 ms at 100,000 articles on SQLite, most of which answered none.
    answered = Question.objects.filter(status=Status.ANSWERED).values("article")
    return (
        live_articles()
        .filter(pk__in=answered)
        .annotate(answered_on=answered_at_subquery())
        .filter(answered_on__isnull=False)
        .order_by("-answered_on", "-pk")
    )


@canonical_query("page")
def answered_list(request):
    listing = paginate(request, answered_articles())
    listing.object_list = with_topics(listing.object_list, TopicPage.objects.all())
    return render(
        request,
        "questions/answered_list.html",
        {"articles": listing.object_list, "listing": listing},
    )
