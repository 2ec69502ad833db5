"""Readers' questions in the Wagtail admin: the "Questions (N new)" menu item and the triage views
(a ModelViewSet with only its listing kept, plus a page per question and the report), the report
in the Reports menu, the dashboard panel, and the red-flag terms and decline reasons as snippets
(Snippets menu).

Everything here is for question editors (editors.py): the menu items are shown to them only and
every view answers anyone else with a 403 page.
"""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from healthpress.core.admin_listing import ListingOnlyViewSet, WaitingCountMenuItem

from . import admin_views
from .dashboard import QuestionsPanel
from .editors import is_question_editor, question_editors_policy
from .models import DeclineReason, Question, RedFlagTerm

# Before the viewset registers: Wagtail would otherwise make a Django-permissions policy.
register_permission_policy(Question, question_editors_policy())


class QuestionsMenuItem(WaitingCountMenuItem):
    waiting_label = "{label} ({count} new)"

    def may_see(self, user):
        return is_question_editor(user)

    def waiting(self):
        return Question.objects.new().count()


class QuestionViewSet(ListingOnlyViewSet):
    """Wagtail's listing for the queue; no add, edit, delete or copy views: a question is asked
    at /ask/ and changes only through the decisions on its own page."""

    model = Question
    name = "questions"  # /admin/questions/
    url_namespace = admin_views.NAMESPACE  # "questions" is the public app's namespace
    icon = "help"
    menu_label = "Questions"
    menu_name = "questions"
    menu_order = 260  # after Comments
    add_to_admin_menu = True
    menu_item_class = QuestionsMenuItem
    index_view_class = admin_views.QuestionIndexView

    @property
    def menu_url(self):
        return admin_views.queue_url()

    def extra_urlpatterns(self):
        return [
            path("<int:pk>/", admin_views.QuestionTriageView.as_view(), name="triage"),
            path("report/", admin_views.QuestionReportView.as_view(), name="report"),
        ]

    @property
    def url_finder_class(self):
        # Wagtail's "edit this object" links (AdminURLFinder) lead to the question's page.
        return type(
            "QuestionURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("triage")},
        )

    def get_permissions_to_register(self):
        # Triage is granted by the "Question editors" group, not by permissions in Settings →
        # Groups: listing them there would suggest they grant something.
        return Permission.objects.none()


@hooks.register("register_admin_viewset")
def question_viewset():
    return QuestionViewSet()


class QuestionReportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_question_editor(request.user)


@hooks.register("register_reports_menu_item")
def question_report_menu_item():
    return QuestionReportMenuItem(
        "Readers' questions",
        reverse(f"{admin_views.NAMESPACE}:report"),
        name="questions-report",
        icon_name="help",
        order=900,
    )


class RedFlagTermViewSet(SnippetViewSet):
    model = RedFlagTerm
    icon = "warning"
    menu_label = "Question red flags"
    add_to_admin_menu = False
    list_display = ["term", "note"]
    search_fields = ["term", "note"]


class DeclineReasonViewSet(SnippetViewSet):
    model = DeclineReason
    icon = "list-ul"
    menu_label = "Question decline reasons"
    add_to_admin_menu = False
    list_display = ["label", "text", "order"]
    search_fields = ["label", "text"]


register_snippet(RedFlagTermViewSet)
register_snippet(DeclineReasonViewSet)


@hooks.register("register_two_factor_permissions")
def triage_needs_a_second_step():
    # Triage reads readers' health questions and their addresses (signin/two_factor.py).
    return ["questions.change_question"]


@hooks.register("construct_homepage_panels")
def add_questions_panel(request, panels):
    if is_question_editor(request.user):
        panels.append(QuestionsPanel())
