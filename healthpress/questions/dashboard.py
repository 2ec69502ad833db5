"""The dashboard's "Readers' questions" panel: new questions waiting for triage, those that
matched a red-flag term (the asker was shown the urgent care card) first, then the oldest, each a
link to its triage page. Shown to question editors only (editors.is_question_editor), by
wagtail_hooks.py.

A red flag matters while a question waits for a decision: once accepted or closed, someone has
read it, so the panel counts new questions and, among them, the flagged ones. The asker's email
address is never shown here, as on every triage page.
"""

from django.db.models import Count, Q
from django.template.defaultfilters import truncatechars
from django.utils.timesince import timesince

from healthpress.core.dashboard import LIMIT, DashboardPanel, Item, plural

from .admin_views import queue_url, url
from .models import Question


class QuestionsPanel(DashboardPanel):
    name = "readers_questions"
    order = 100
    heading = "New readers' questions"
    icon = "help"
    template_name = "questions/admin/dashboard_questions.html"
    empty_text = "No new question is waiting for triage."

    def figures(self, request):
        new = Question.objects.new()
        counts = new.order_by().aggregate(
            count=Count("pk"), flagged=Count("pk", filter=Q(flagged=True))
        )
        first = new.select_related("topic").order_by("-flagged", "created_at", "pk")[:LIMIT]
        items = [
            Item(
                label=truncatechars(question.question, 90),
                url=url("triage", question.pk),
                notes=[
                    *([f"red flags: {question.red_flags}"] if question.red_flags else []),
                    question.topic.title if question.topic else "no topic",
                    f"asked {timesince(question.created_at)} ago",
                ],
                tag="Red flags" if question.flagged else "",
            )
            for question in first
        ]
        count = counts["count"]
        summary = (
            f"{plural(count, 'question')} waiting for triage, "
            f"{counts['flagged']} with red flags; red flags first, then the oldest."
            if count
            else ""
        )
        return {
            "count": count,
            "summary": summary,
            "items": items,
            "links": [(queue_url(), "All new questions")],
        }
