import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from healthpress.articles.models import ArticlePage
from healthpress.health.readability import store


class Command(BaseCommand):
    help = (
        "Measure the reading grade of every live article now (publishing does it for one). Run "
        "once after installing or upgrading, so articles published before have a figure in the "
        "Article health report."
    )

    def handle(self, *args, **options):
        articles = ArticlePage.objects.live().specific().order_by("pk")
        total = articles.count()
        quiet = not sys.stderr.isatty()
        for article in tqdm(articles.iterator(), total=total, disable=quiet, unit="article"):
            store(article)
        self.stdout.write(f"Measured the reading level of {total} live articles.")
