"""Admin: synonym groups editors can edit, and the "Searches with no results" report."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
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
            admin_views.searches_without_results,
            name="search_no_results_report",
        )
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


@hooks.register("find_articles")
def find_articles(text, limit):
    """The site's search, lent to apps beside this one (questions/matching.py): not logged, as
    it is not a reader's search."""
    from .service import search_articles

    return search_articles(text, limit=limit, log=False).articles


@hooks.register("forget_searched_words")
def forget_searched_words():
    """Apps beside this one erase readers' words they searched with (questions' erasure): the
    term counts those searches left behind are dropped too (counts.forget)."""
    from .counts import forget

    return forget()
