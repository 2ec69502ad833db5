"""manage.py import_wordpress EXPORT.xml: move a WordPress site across (docs/migrating.md)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from healthpress.wordpress import wxr
from healthpress.wordpress.importer import Options, collect, import_export


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content, a WXR file): posts become "
        "articles, categories topics, authors people, images Wagtail images, comments comments, "
        "and every old address a permanent redirect to the new page. The whole file is checked "
        "before anything is written. Running it again updates what changed and creates nothing "
        "twice. Posts arrive as drafts unless --publish-live is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file WordPress exported")
        parser.add_argument(
            "--uploads",
            type=Path,
            help="a copy of the site's wp-content/uploads folder: images are read from it, never "
            "downloaded; without it, images are reported missing",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="write nothing; print the same report"
        )
        parser.add_argument(
            "--publish-live",
            action="store_true",
            help="published posts go live at once (their old addresses must work on the day you "
            "switch), marked as not yet medically reviewed; without it every post is a draft",
        )
        parser.add_argument("--report", type=Path, help="also save the report as CSV here")
        parser.add_argument(
            "--category-base",
            default="category",
            help="the category base of the old permalinks (default: category)",
        )
        parser.add_argument(
            "--author-base",
            default="author",
            help="the author base of the old permalinks (default: author)",
        )

    def handle(
        self,
        *,
        export,
        uploads,
        dry_run,
        publish_live,
        report,
        category_base,
        author_base,
        **options,
    ):
        path = Path(export)
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"--uploads: {uploads} is not a folder")
        self.stderr.write(f"Checking {path.name} …")
        try:
            collected = collect(path)
            summary = collected[0]
        except wxr.InvalidExport as error:
            raise CommandError(f"{path.name}: {error}. Nothing was imported.") from None
        self.stderr.write(
            f"{summary.posts} posts, pages and attachments, {summary.comments} comments, "
            f"{summary.authors} authors, {summary.terms} categories and tags "
            f"from {summary.site.key}"
        )
        choices = Options(
            uploads=uploads,
            dry_run=dry_run,
            publish_live=publish_live,
            category_base=category_base.strip("/"),
            author_base=author_base.strip("/"),
        )
        bar = tqdm(
            total=summary.posts,
            desc="Importing",
            unit="item",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        )
        with bar:
            try:
                result = import_export(path, choices, progress=bar.update, collected=collected)
            except wxr.InvalidExport as error:
                raise CommandError(f"{path.name}: {error}. Nothing was imported.") from None
        for line in result.lines():
            self.stdout.write(line)
        if report:
            result.write_csv(report)
            self.stdout.write(f"Report saved as {report}")
        failed = sum(outcome.get("failed", 0) for outcome in result.counts.values())
        if failed:
            raise CommandError(f"{failed} record(s) failed: see the warnings above", returncode=1)
