"""manage.py rebuild_embeddings: every live article's embedding (hybrid search), in batches."""

import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from healthpress.articles.models import ArticlePage
from healthpress.search import hybrid
from healthpress.search.embeddings import raise_generation, update_embeddings
from healthpress.search.models import ArticleEmbedding

BATCH = 500


class Command(BaseCommand):
    help = (
        "Compute the embedding of every live article for the hybrid search (SEARCH_SEMANTIC) and "
        "delete those of articles no longer live. An article whose text and model are unchanged "
        "is skipped unless --force. Run it after upgrading an existing site (or turning "
        "SEARCH_SEMANTIC back on); publishing keeps the embeddings up to date after that. The "
        "model is loaded from the installed wordllama package, never downloaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="embed every article again, changed or not"
        )
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"articles per batch (default {BATCH})"
        )

    def handle(self, *args, force=False, batch=BATCH, **options):
        started = time.perf_counter()
        live = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
        # A subquery, not the list: PostgreSQL takes at most 65,535 parameters a statement (the
        # list failed on a site of 100,000 articles).
        stale = ArticleEmbedding.objects.exclude(
            article_id__in=ArticlePage.objects.live().values("pk")
        )
        removed = stale.delete()[0]
        if force:
            ArticleEmbedding.objects.all().delete()
        if removed or force:
            raise_generation()
        embedded = 0
        progress = tqdm(
            total=len(live),
            desc="Embedding",
            unit="article",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        )
        with progress:
            for start in range(0, len(live), max(batch, 1)):
                chunk = live[start : start + max(batch, 1)]
                embedded += update_embeddings(chunk)
                progress.update(len(chunk))
        hybrid.rebuild()  # the shared vectors in one base, not a delta per batch
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {embedded} of {len(live)} live articles ({len(live) - embedded} "
                f"unchanged), removed {removed} stale, in {seconds:.1f} s."
            )
        )
