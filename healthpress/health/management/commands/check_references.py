"""manage.py check_references: check every live article's reference URLs, weekly from cron."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Min
from tqdm import tqdm

from healthpress.articles.models import ArticlePage
from healthpress.health import references


class Command(BaseCommand):
    help = (
        "Check the reference URLs of every live article (HEAD, then GET when HEAD is refused; "
        "redirects followed up to 5) and record each result for the Article health report: "
        "broken (4xx, 5xx, DNS or TLS failure, timeout, refused) or moved permanently. Each URL "
        "gets REFERENCE_CHECK_TIMEOUT seconds and the run REFERENCE_CHECK_TOTAL_SECONDS; "
        "articles checked longest ago go first, so a run stopped by the time bound is continued "
        "by the next. Run it weekly from cron (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            dest="articles",
            metavar="ID",
            help="check only this article (page ID); repeat for several",
        )
        parser.add_argument(
            "--total-seconds",
            type=float,
            help="stop after this many seconds (default REFERENCE_CHECK_TOTAL_SECONDS)",
        )

    def handle(self, *args, articles=None, total_seconds=None, **options):
        queryset = ArticlePage.objects.live()
        if articles:
            queryset = queryset.filter(pk__in=articles)
            missing = set(articles) - set(queryset.values_list("pk", flat=True))
            if missing:
                ids = ", ".join(str(pk) for pk in sorted(missing))
                raise CommandError(f"no live article with ID {ids}")
        # Least recently checked first (never checked before all): a run cut short by the time
        # bound leaves the freshest results, and the next run starts where this one stopped.
        queryset = queryset.annotate(last_checked=Min("reference_checks__checked_at")).order_by(
            F("last_checked").asc(nulls_first=True), "pk"
        )
        total = settings.REFERENCE_CHECK_TOTAL_SECONDS if total_seconds is None else total_seconds
        deadline = time.monotonic() + total
        pages = list(queryset)
        checked = broken = moved = 0
        not_checked = []
        with tqdm(pages, desc="articles", unit="article", file=sys.stderr, disable=None) as bar:
            for article in bar:
                report = references.check_article(article, deadline=deadline)
                checked += len(report.results)
                for result in report.broken + report.moved:
                    with tqdm.external_write_mode(file=sys.stderr):
                        self.stdout.write(self.describe(article, result))
                broken += len(report.broken)
                moved += len(report.moved)
                not_checked += [(article, url) for url in report.not_checked]
        self.stdout.write(
            f"Checked {checked} reference URLs in {len(pages)} articles: "
            f"{broken} broken, {moved} moved permanently."
        )
        if not_checked:
            self.stderr.write(
                f"Stopped after {total:g} seconds (REFERENCE_CHECK_TOTAL_SECONDS): "
                f"{len(not_checked)} URLs not checked this time, kept with their last result:"
            )
            for article, url in not_checked:
                self.stderr.write(f"  article {article.pk}: {url}")

    @staticmethod
    def describe(article, result):
        if result.outcome == references.MOVED:
            what = f"moved permanently ({result.status_code}) to {result.final_url}"
        elif result.error:
            what = f"broken: {result.error}"
        else:
            what = f"broken: HTTP {result.status_code}"
        return f"article {article.pk} “{article.title}”: {result.url} {what}"
