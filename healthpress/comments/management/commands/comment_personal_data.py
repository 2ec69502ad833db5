"""Export or erase everything the comments app stores for one email address."""

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from tqdm import tqdm

from healthpress.comments.models import Comment, Status
from healthpress.core.erasure import flush_erased
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


class Command(BaseCommand):
    help = (
        "Export (as JSON on stdout) or erase every comment stored for an email address, with the "
        "truncated IP network and user agent kept for spam checks. Erasing deletes those comments "
        "and the replies hanging from them, purges the cached pages that showed them and, on "
        "SQLite, checkpoints the write-ahead log so the text leaves the database's files."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"], help="what to do")
        parser.add_argument("email", help="the reader's email address (case-insensitive)")
        parser.add_argument(
            "--yes", action="store_true", help="erase without asking for confirmation"
        )

    def handle(self, action, email, yes=False, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        comments = Comment.objects.for_email(email).order_by("created_at", "pk")
        if action == "export":
            rows = [
                {
                    f: (v.isoformat() if hasattr(v, "isoformat") else v)
                    for f, v in zip(FIELDS, row, strict=True)
                }
                for row in tqdm(comments.values_list(*FIELDS), desc="export", file=sys.stderr)
            ]
            self.stdout.write(
                json.dumps({"email": email, "comments": rows}, indent=2, ensure_ascii=False)
            )
            return
        count = comments.count()
        if not count:
            self.stdout.write(f"Nothing stored for {email}.")
            return
        if not yes and input(f"Erase {count} comment(s) for {email}? [y/N] ").lower() != "y":
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
