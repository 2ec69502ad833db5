from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .models import SearchLog

PERIODS = {"7": 7, "30": 30, "365": 365}


def searches_without_results(request):
    """What readers searched for and found nothing: the most frequent first, for the chosen
    period. Editors answer these with a new article, a synonym group or a promotion."""
    if not request.user.has_perm("search.view_searchlog"):
        raise PermissionDenied
    period = request.GET.get("days", "30")
    days = PERIODS.get(period, 30)
    since = timezone.now() - timedelta(days=days)
    logged = SearchLog.objects.filter(searched_at__gte=since)
    rows = logged.without_results().frequent()
    listing = Paginator(rows, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "search/admin/no_results_report.html",
        {
            "listing": listing,
            "days": days,
            "periods": PERIODS,
            "searches": logged.count(),
            "without_results": logged.without_results().count(),
        },
    )
