"""Admin: synonym groups editors can edit, and the "Searches with no results" report."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import SearchesWithoutResultsView
from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "Search synonyms"
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_report_url():
    return [
        path(
            "reports/searches-without-results/",
            SearchesWithoutResultsView.as_view(),
            name="search_no_results_report",
        ),
        path(
            "reports/searches-without-results/results/",
            SearchesWithoutResultsView.as_view(results_only=True),
            name="search_no_results_report_results",
        ),
    ]


class NoResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("search.view_searchlog")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return NoResultsMenuItem(
        "Searches with no results",
        reverse("search_no_results_report"),
        name="searches-without-results",
        icon_name="search",
        order=900,
    )


@hooks.register("forget_searched_words")
def forget_searched_words():
    """Apps beside this one erase readers' words they searched with (questions' erasure): the
    term counts those searches left behind are dropped too (counts.forget)."""
    from .counts import forget

    return forget()
