"""manage.py question_personal_data export|erase EMAIL: a reader's right of access and erasure
for the questions they asked."""

from healthpress.articles.models import ArticlePage
from healthpress.core.personal_data import PersonalDataCommand, as_rows
from healthpress.questions.matching import forget_matched_words
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
    "confirmation_sent_at",
    "erased_at",
]


def article_links(questions):
    """{question id: the address of its published answer}; a draft has no address yet."""
    linked = dict(questions.filter(article__isnull=False).values_list("pk", "article_id"))
    pages = ArticlePage.objects.live().in_bulk(set(linked.values()))
    return {pk: pages[article].get_full_url() for pk, article in linked.items() if article in pages}


class Command(PersonalDataCommand):
    help = (
        "Export (as JSON on stdout) or erase the readers' questions asked with an email address "
        "(any case). Export lists each question with its details, status, dates and the consent "
        "wording version it agreed to. Erase writes over everything the reader gave (the "
        "question's words, details, topic, address and the red flags they matched), records when "
        "(erased_at), drops the search's stored word counts (the matching step searched with the "
        "question) and, on SQLite, checkpoints the write-ahead log so the text leaves the "
        "database's files. The status, dates and any article an editor wrote stay, tied to "
        "nobody; a question still new leaves the queue."
    )

    model = Question
    erase_prompt = "Erase {count} question(s) asked by {email}?"

    def export(self, email):
        questions = self.stored(email)
        rows = as_rows(questions.values_list(*FIELDS), FIELDS)
        links = article_links(questions)
        for row in rows:
            row["article"] = links.get(row["id"])  # the published answer, if any
        return {"email": email, "questions": rows}

    def erase_rows(self, questions, email, count):
        articles = list(
            questions.filter(article__isnull=False).values_list("article_id", "article__title")
        )
        erased = questions.erase()
        forget_matched_words()
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased the words, details and address of {erased} question(s) for {email}."
            )
        )
        for article_id, title in sorted(set(articles)):
            # An editor's article is their work and is not changed; it may repeat the question.
            self.stdout.write(
                f"Article {article_id} (“{title}”) was written from one of them: it is not "
                "changed; edit its title if it repeats the reader's words."
            )
