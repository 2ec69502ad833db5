"""Reports → Searches with no results: Wagtail's ReportView (filters, pagination, CSV/XLSX)."""

from datetime import timedelta

import django_filters
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import SearchLog

PERIODS = {"7": 7, "30": 30, "365": 365}
DEFAULT_PERIOD = "30"


def since(period):
    return timezone.now() - timedelta(days=PERIODS[period])


class PeriodFilterSet(WagtailFilterSet):
    days = django_filters.ChoiceFilter(
        label="Period",
        choices=[(value, f"Last {days} days") for value, days in PERIODS.items()],
        method="filter_days",
        empty_label=None,
    )

    def filter_days(self, queryset, name, value):
        return queryset.filter(searched_at__gte=since(value))

    class Meta:
        model = SearchLog
        fields = []


class SearchesWithoutResultsView(ReportView):
    """What readers searched for and found nothing: the most frequent first, for the chosen
    period (30 days unless another is chosen). Editors answer these with a new article, a
    synonym group or a promotion."""

    page_title = "Searches with no results"
    header_icon = "search"
    template_name = "search/admin/no_results_report.html"
    index_url_name = "search_no_results_report"
    index_results_url_name = "search_no_results_report_results"
    filterset_class = PeriodFilterSet
    permission_policy = ModelPermissionPolicy(SearchLog)
    permission_required = "view"
    export_filename = "searches-without-results"
    columns = [
        Column("query", label="Query"),
        Column("searches", label="Searches"),
        DateColumn("last_searched", label="Last searched"),
    ]
    list_export = ["query", "searches", "last_searched"]
    export_headings = {"query": "Query", "searches": "Searches", "last_searched": "Last searched"}

    @property
    def period(self):
        value = self.request.GET.get("days")
        return value if value in PERIODS else DEFAULT_PERIOD

    def get_queryset(self):
        return SearchLog.objects.without_results().frequent()

    def filter_queryset(self, queryset):
        if self.request.GET.get("days") not in PERIODS:  # none chosen, or not one offered
            queryset = queryset.filter(searched_at__gte=since(DEFAULT_PERIOD))
        return super().filter_queryset(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        logged = SearchLog.objects.filter(searched_at__gte=since(self.period))
        context["days"] = PERIODS[self.period]
        context["searches"] = logged.count()
        context["without_results"] = logged.without_results().count()
        return context
