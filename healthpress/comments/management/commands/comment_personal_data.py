"""Export or erase everything the comments app stores for one email address."""

import sys

from django.core.management.base import CommandError
from django.db import transaction
from tqdm import tqdm

from healthpress.comments.models import Comment, Status
from healthpress.core.erasure import flush_erased
from healthpress.core.personal_data import PersonalDataCommand, iso
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

    def export(self, email):
        comments = Comment.objects.for_email(email).order_by("created_at", "pk")
        rows = [
            {field: iso(value) for field, value in zip(FIELDS, row, strict=True)}
            for row in tqdm(comments.values_list(*FIELDS), desc="export", file=sys.stderr)
        ]
        return {"email": email, "comments": rows}

    def erase(self, email, yes):
        comments = Comment.objects.for_email(email).order_by("created_at", "pk")
        count = comments.count()
        if not count:
            self.stdout.write(f"Nothing stored for {email}.")
            return
        if not self.confirmed(yes, f"Erase {count} comment(s) for {email}?"):
            raise CommandError("Cancelled; nothing erased.")
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
        flush_erased()  # SQLite: the deleted text leaves the write-ahead log too
        self.stdout.write(self.style.SUCCESS(f"Erased {count} comment(s) for {email}."))
