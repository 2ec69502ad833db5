"""manage.py question_personal_data export|erase EMAIL: a reader's right of access and erasure
for the questions they asked."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from healthpress.questions.models import Question

FIELDS = [
    "id",
    "question",
    "details",
    "email",
    "email_confirmed_at",
    "consent_version",
    "consented_at",
    "topic__title",
    "status",
    "flagged",
    "red_flags",
    "decline_reason__label",
    "merged_into_id",
    "created_at",
    "decided_at",
    "answered_at",
    "closed_at",
    "notified_at",
    "erased_at",
]


def _value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def article_links(questions):
    """{question id: the address of its published answer}; a draft has no address yet."""
    from healthpress.articles.models import ArticlePage

    linked = dict(questions.filter(article__isnull=False).values_list("pk", "article_id"))
    pages = ArticlePage.objects.live().in_bulk(set(linked.values()))
    return {pk: pages[article].get_full_url() for pk, article in linked.items() if article in pages}


class Command(BaseCommand):
    help = (
        "Export (as JSON on stdout) or erase the readers' questions asked with an email address "
        "(any case). Export lists each question with its details, status, dates and the consent "
        "wording version it agreed to. Erase blanks the email and the details of each and records "
        "when (erased_at): the question's words, status and dates stay for the editors' report, "
        "no longer tied to anyone."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"], help="what to do")
        parser.add_argument("email", help="the reader's email address (case-insensitive)")
        parser.add_argument(
            "--yes", action="store_true", help="erase without asking for confirmation"
        )

    def handle(self, action, email, yes=False, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        questions = Question.objects.for_email(email).order_by("created_at", "pk")
        if action == "export":
            rows = [
                {
                    name.replace("__", "_"): _value(value)
                    for name, value in zip(FIELDS, row, strict=True)
                }
                for row in questions.values_list(*FIELDS)
            ]
            links = article_links(questions)
            for row in rows:
                row["article"] = links.get(row["id"])  # the published answer, if any
            self.stdout.write(
                json.dumps({"email": email, "questions": rows}, indent=2, ensure_ascii=False)
            )
            return
        count = questions.count()
        if not count:
            self.stdout.write(f"Nothing stored for {email}.")
            return
        if not yes and input(f"Erase {count} question(s) asked by {email}? [y/N] ").lower() != "y":
            raise CommandError("Cancelled; nothing erased.")
        erased = questions.update(email="", details="", erased_at=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(f"Erased the email and details of {erased} question(s) for {email}.")
        )
