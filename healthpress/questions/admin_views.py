"""Triage in the Wagtail admin: the queue (Wagtail's generic listing, with filters, search and
sorting), one page per question with its decisions, and the report for editors.

Only question editors (editors.py) see or act; anyone else signed in to the admin gets a 403
page, and a visitor who is not signed in is sent to Wagtail's sign-in. Every decision is a POST
with Django's CSRF token and goes through the Question method that makes it (models.py), so
there is one way to decline, mark a duplicate, merge or accept. An asker's email address is
never shown: editors see only whether there is one and whether it was confirmed.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser, BooleanRadioSelect, HeaderButton

from healthpress.articles.models import ArticlePage
from healthpress.core.models import TopicPage

from . import report, triage
from .editors import experts, is_question_editor
from .models import DeclineReason, Question, Status, TriageError

NAMESPACE = "questions_admin"


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


def queue_url():
    """What an editor opens the queue for: the new questions."""
    return url("index") + f"?status={Status.NEW}"


class EditorsOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        # A 403 response, not PermissionDenied: Wagtail's admin would turn that into a redirect.
        if not is_question_editor(request.user):
            return TemplateResponse(request, "questions/admin/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)


def email_state(question):
    """What an editor needs to know about the asker's address: whether they will be told."""
    if not question.email:
        return "none"
    return "confirmed" if question.email_confirmed_at else "not confirmed"


# The queue -------------------------------------------------------------------------------------


class QuestionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=Status.choices, empty_label="Any", widget=forms.RadioSelect
    )
    flagged = django_filters.BooleanFilter(
        label="Red flags (an urgent care card was shown)", widget=BooleanRadioSelect
    )

    class Meta:
        model = Question
        fields = ["status", "flagged"]


class QuestionIndexView(EditorsOnlyMixin, IndexView):
    """Flagged questions first, then the oldest (or, sorted by "Asked", the newest)."""

    filterset_class = QuestionFilterSet
    search_fields = ["question", "details"]  # never the email: editors do not look askers up
    search_backend_name = None
    default_ordering = "created_at"
    page_title = "Questions"
    list_display = [
        "__str__",  # the question, or "(erased …)" once its words are gone
        "status",
        Column("red_flags", label="Red flags"),
        Column("topic", label="Topic"),
        DateColumn("created_at", label="Asked", sort_key="created_at"),
    ]

    def get_base_queryset(self):
        return Question.objects.select_related("topic")

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return queryset.order_by("-flagged", ordering, "pk")

    def get_edit_url(self, instance):
        return url("triage", instance.pk)

    def get_list_more_buttons(self, instance):
        return []

    def get_page_subtitle(self):
        return f"{Question.objects.new().count()} new"

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton("Report", url=url("report"), icon_name="doc-empty"),
            HeaderButton(
                "Decline reasons",
                url=reverse("wagtailsnippets_questions_declinereason:list"),
                icon_name="list-ul",
            ),
            HeaderButton(
                "Red-flag terms",
                url=reverse("wagtailsnippets_questions_redflagterm:list"),
                icon_name="warning",
            ),
        ]


# One question ----------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    def __init__(self, question, *args, **kwargs):
        self.question = question
        super().__init__(*args, **kwargs)


class DeclineForm(DecisionForm):
    reason = forms.ModelChoiceField(
        DeclineReason.objects.all(),
        label="Reason",
        help_text="The asker reads the reason's text, if they confirmed their email.",
    )

    def decide(self, by):
        triage.decline(self.question, self.cleaned_data["reason"], by=by)
        return "Question declined."


class DuplicateForm(DecisionForm):
    article = forms.ModelChoiceField(
        ArticlePage.objects.live(),
        label="Article that answers it",
        widget=AdminPageChooser(target_models=[ArticlePage]),
        error_messages={"invalid_choice": "Choose a published article."},
        help_text="A published article; the asker gets its link, if they confirmed their email.",
    )

    def decide(self, by):
        article = self.cleaned_data["article"]
        triage.mark_duplicate(self.question, article, by=by)
        return f"Question answered by “{article.title}”."


class MergeForm(DecisionForm):
    questions = forms.ModelMultipleChoiceField(
        Question.objects.none(),
        label="Questions asking the same thing",
        widget=forms.CheckboxSelectMultiple,
        help_text="They leave the queue and follow this question: its article, its decline, "
        "its answer.",
    )

    def __init__(self, question, *args, **kwargs):
        super().__init__(question, *args, **kwargs)
        # Same topic first, then the oldest: the likeliest duplicates near the top.
        same_topic = Case(
            When(topic_id=question.topic_id, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        field = self.fields["questions"]
        field.queryset = (
            Question.objects.new().exclude(pk=question.pk).order_by(same_topic, "created_at", "pk")
        )
        field.label_from_instance = lambda q: f"{q.question} (asked {q.created_at:%d %b %Y})"

    def decide(self, by):
        count = self.question.merge(self.cleaned_data["questions"], by=by)
        return f"{count} question{'s' if count != 1 else ''} merged into this one."


class AcceptForm(DecisionForm):
    topic = forms.ModelChoiceField(
        TopicPage.objects.order_by("title"), label="Topic of the article"
    )
    expert = forms.ModelChoiceField(
        experts(),
        label="Expert who writes the answer",
        help_text="People with an admin account; they are emailed a link to the draft.",
    )

    def __init__(self, question, *args, **kwargs):
        kwargs.setdefault("initial", {"topic": question.topic_id})
        super().__init__(question, *args, **kwargs)

    def decide(self, by):
        expert = self.cleaned_data["expert"]
        article = triage.accept(self.question, self.cleaned_data["topic"], expert, by=by)
        self.article, self.expert = article, expert
        return (
            f"Accepted: the draft “{article.title}” is waiting for {expert.name}, who is emailed."
        )


FORMS = {
    "decline": DeclineForm,
    "duplicate": DuplicateForm,
    "merge": MergeForm,
    "accept": AcceptForm,
}
# Which decisions a question in each status offers.
OFFERED = {
    Status.NEW: ("accept", "duplicate", "decline", "merge"),
    Status.ACCEPTED: ("merge",),
}


class QuestionTriageView(EditorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "questions/admin/triage.html"
    header_icon = "help"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.bound = {}

    def get_object(self):
        queryset = Question.objects.select_related(
            "topic", "decided_by", "decline_reason", "article", "merged_into"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    @cached_property
    def question(self):
        return self.get_object()

    def get_page_title(self):
        return f"Question {self.question.pk}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": "Questions"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        question = self.question
        offered = OFFERED.get(question.status, ())
        context.update(
            question=question,
            email_state=email_state(question),
            merged=question.merged.order_by("created_at"),
            forms={
                name: self.bound.get(name) or FORMS[name](question, prefix=name) for name in offered
            },
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in OFFERED.get(self.question.status, ()):
            messages.error(request, "That decision is not open for this question.")
            return redirect(url("triage", self.question.pk))
        form = FORMS[action](self.question, request.POST, prefix=action)
        if not form.is_valid():
            self.bound[action] = form
            return self.render_to_response(self.get_context_data(), status=400)
        try:
            done = form.decide(request.user)
        except TriageError as error:
            messages.error(request, str(error))
            return redirect(url("triage", self.question.pk))
        messages.success(request, done)
        if action == "accept":
            self.warn_if_expert_cannot_edit(form.article, form.expert)
        if action == "merge":
            return redirect(url("triage", self.question.pk))
        return redirect(queue_url())

    def warn_if_expert_cannot_edit(self, article, expert):
        if not article.permissions_for_user(expert.user).can_edit():
            messages.warning(
                self.request,
                f"{expert.name}'s admin account cannot edit the draft yet: add it to a group "
                "that edits articles (e.g. Editors).",
            )


# The report ------------------------------------------------------------------------------------


class QuestionReportView(EditorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "questions/admin/report.html"
    page_title = "Readers' questions report"
    header_icon = "doc-empty"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": "Questions"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = report.figures()
        return context
