"""Export or erase everything the comments app stores for one email address."""

import sys

from django.db import transaction
from tqdm import tqdm

from healthpress.comments.models import Comment, Status
from healthpress.core.personal_data import PersonalDataCommand, as_rows
from healthpress.pagecache.purge import purge_page

FIELDS = [
    "id",
    "article_id",
    "parent_id",
    "name",
    "email",
    "body",
    "notify",
    "status",
    "reason",
    "ip_network",
    "user_agent",
    "created_at",
    "approved_at",
]


class Command(PersonalDataCommand):
    help = (
        "Export (as JSON on stdout) or erase every comment stored for an email address, with the "
        "truncated IP network and user agent kept for spam checks. Erasing deletes those comments "
        "and the replies hanging from them, purges the cached pages that showed them and, on "
        "SQLite, checkpoints the write-ahead log so the text leaves the database's files."
    )

    model = Comment
    erase_prompt = "Erase {count} comment(s) for {email}?"

    def export(self, email):
        values = self.stored(email).values_list(*FIELDS)
        return {
            "email": email,
            "comments": as_rows(tqdm(values, desc="export", file=sys.stderr), FIELDS),
        }

    def erase_rows(self, comments, email, count):
        articles = {}
        with transaction.atomic():
            for comment in tqdm(
                comments.select_related("article"), total=count, desc="erase", file=sys.stderr
            ):
                if comment.status == Status.APPROVED:
                    articles[comment.article_id] = comment.article
                comment.delete()
        for article in articles.values():
            purge_page(article)
        self.stdout.write(self.style.SUCCESS(f"Erased {count} comment(s) for {email}."))
