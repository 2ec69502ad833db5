"""manage.py import_articles: plain-text articles into HealthPress, as drafts by default."""

import argparse
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import transaction
from django.utils.text import Truncator
from tqdm import tqdm

from healthpress.articles.bulk_import import BulkArticle, import_articles_in_bulk
from healthpress.articles.content import find_article, same_question
from healthpress.articles.importer import (
    InvalidArticle,
    article_content,
    attach_author_info,
    find_or_create_person,
    import_article,
    parse_article,
    read_article_file,
)
from healthpress.core.site import ensure_home_page, get_or_create_topic

PROGRESS_BAR_FROM = 4  # files; below that the per-file lines show the progress well enough
PUBLISHED_VIA = "import_articles --publish"  # in the page history of what it publishes

EPILOG = """\
file format (UTF-8 text, at most 1 MB; see healthpress/articles/importer.py):
  first line            the question, kept as written
  next paragraphs       the short answer
  "1. Heading"          starts a numbered section; from a paragraph beginning
                        "What you can do:" on, the section's text is its advice
  "- item"              a bulleted list item ("* " and "• " too)
  **words**             bold, in the text of sections and blocks
  "Prevention", "When to see a doctor", "Seek help now"
                        start those blocks
  "First aid: Heading"  starts a first-aid block: its paragraphs are the
                        intro, its list items the steps
  "Comments (0)", "Leave a Comment", "About the Author", ...
                        page furniture at the end, never imported; the author
                        block gives the author's name, job title and role

Importing a question that exists already adds a revision to that article.
A bad file gets one line on stderr and is skipped; the others are imported,
and the exit status is 1.
"""


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, keeping the line breaks of the format description."""


class Command(BaseCommand):
    help = (
        "Import articles written as plain text: files, or folders of .txt files\n"
        "(searched recursively). Each article is saved as a draft for review unless\n"
        "--publish is given."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("epilog", EPILOG)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .txt file or a folder.")
        parser.add_argument(
            "--topic",
            default="General health",
            metavar="NAME",
            help="Topic title or slug for new articles; created if missing "
            '(default: "%(default)s"). Existing articles stay where they are.',
        )
        parser.add_argument(
            "--author",
            metavar="NAME",
            help="The author, by slug or name (any case); created if missing. Default: the name "
            "in the file's author block, if any.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish at once instead of saving a draft, without medical review: logged in "
            "each article's history, and the article says it has not been medically reviewed.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what each file contains and write nothing to the database.",
        )

    def handle(self, *, paths, topic, author, publish, dry_run, **options):
        files = self.article_files(paths)
        if not files:
            raise CommandError("no .txt files found in: " + ", ".join(paths))
        self.topic_name, self.topic = topic, None
        counts = {"created": 0, "updated": 0, "failed": 0}
        progress = tqdm(
            total=len(files),
            desc="Importing",
            unit="file",
            file=sys.stderr,
            disable=len(files) < PROGRESS_BAR_FROM,
        )
        with progress:
            if dry_run or len(files) == 1:
                for path in files:
                    counts[self.import_file(path, author, publish, dry_run)] += 1
                    progress.update()
            else:
                self.import_many(files, author, publish, counts, progress)

        summary = "created {created}, updated {updated}, failed {failed}".format(**counts)
        if dry_run:
            summary = f"Dry run, nothing written. Would have: {summary}."
        else:
            summary = f"Done: {summary}."
        style = self.style.ERROR if counts["failed"] else self.style.SUCCESS
        self.say(summary, style)
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} of {len(files)} files could not be imported", returncode=1
            )

    def article_files(self, paths):
        """The files as given, then every .txt file in each folder, in sorted order."""
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*.txt") if p.is_file())
                if not found:
                    self.warn(path, "no .txt files in this folder")
                files += found
            else:
                files.append(path)  # a missing file is reported when it is read
        return files

    def import_many(self, files, author_name, publish, counts, progress):
        """New articles through the batch service (bulk_import.py), in one go; questions already
        on the site (or twice in the files) through save_article, as a new revision each."""
        new, again, seen = [], [], []
        for path in files:
            try:
                article = parse_article(read_article_file(path))
            except InvalidArticle as error:
                counts[self.fail(path, error)] += 1
                progress.update()
                continue
            if find_article(article.question) or any(
                same_question(article.question, q) for q in seen
            ):
                again.append(path)
                continue
            seen.append(article.question)
            name = author_name or article.author.name
            if not name:
                self.warn(path, "no author named in the file and no --author given")
            new.append((path, article, name))

        topic = self.get_topic()
        items, ready = [], []
        for path, article, name in new:
            try:  # pictures are found next to the file; a missing or refused one fails the file
                content = article_content(article, Path(path).parent)
            except InvalidArticle as error:
                counts[self.fail(path, error)] += 1
                continue
            items.append(BulkArticle(content, author=self.author_for(name, article)))
            ready.append((path, article, name))
        new = ready
        result = import_articles_in_bulk(
            items, topic, publish=publish, via=PUBLISHED_VIA, progress=progress.update
        )
        state = "published" if publish else "draft for review"
        for path, article, _ in new:
            self.say(f"Created: {path}: {article.question} ({state})")
        counts["created"] += len(result.created)
        for path in again:
            counts[self.import_file(path, author_name, publish, dry_run=False)] += 1
            progress.update()

    def author_for(self, name, article):
        if not name:
            return None
        person, created = find_or_create_person(name)
        if created:
            self.say(f"New author: {person.name}")
        attach_author_info(person, article.author)
        return person

    def import_file(self, path, author_name, publish, dry_run):
        """Import one file; returns "created", "updated" or "failed"."""
        try:
            article = parse_article(read_article_file(path))
        except InvalidArticle as error:
            return self.fail(path, error)
        author_name = author_name or article.author.name
        if not author_name:
            self.warn(path, "no author named in the file and no --author given")
        if dry_run:
            existing = find_article(article.question)
            self.say(describe(path, article, author_name, existing))
            return "updated" if existing else "created"

        topic = self.get_topic()  # outside the transaction: it is shared by all files
        try:
            # One transaction per file, so a refused article leaves no new author behind.
            with transaction.atomic():
                author = None
                if author_name:
                    author, created = find_or_create_person(author_name)
                    if created:
                        self.say(f"New author: {author.name}")
                    attach_author_info(author, article.author)
                page, created = import_article(
                    article,
                    topic=topic,
                    author=author,
                    publish=publish,
                    via=PUBLISHED_VIA,
                    base_dir=Path(path).parent,
                )
        except InvalidArticle as error:  # a picture it names is missing or refused
            return self.fail(path, error)
        except ValidationError as error:
            return self.fail(path, "; ".join(error.messages))
        outcome = "created" if created else "updated"
        state = "published" if publish else "draft for review"
        self.say(f"{outcome.capitalize()}: {path}: {page.title} ({state})")
        return outcome

    def get_topic(self):
        if self.topic is None:
            ensure_home_page()  # so the import also works on a fresh database
            self.topic, created = get_or_create_topic(self.topic_name)
            if created:
                self.say(f"New topic: {self.topic.title}")
        return self.topic

    def say(self, message, style=None):
        # Clear the progress bar while writing, so it does not mix with the message.
        with tqdm.external_write_mode(file=sys.stderr):
            self.stdout.write(message, style)

    def warn(self, path, message):
        with tqdm.external_write_mode(file=sys.stderr):
            self.stderr.write(f"{path}: warning: {message}", self.style.WARNING)

    def fail(self, path, reason):
        with tqdm.external_write_mode(file=sys.stderr):
            self.stderr.write(f"{path}: error: {reason}")
        return "failed"


def describe(path, article, author_name, existing):
    """The parsed structure of one file, for --dry-run."""
    lines = [str(path), f"  Question: {article.question}", "  Short answer:"]
    lines += [f"    {paragraph}" for paragraph in article.short_answer]
    number = 0
    for block in article.blocks:
        if block.kind == "section":
            number += 1
            lines.append(f"  {number}. {block.heading}")
            lines.append(f"       explanation: {gist(block.paragraphs)}")
            lines.append(f"       what you can do: {gist(block.advice)}")
        elif block.kind == "first_aid":
            lines.append(f"  [{block.kind}] {block.heading}")
            lines.append(f"       intro: {gist(block.paragraphs)}")
            lines.append(f"       steps: {len(block.steps)}")
        else:
            lines.append(f"  [{block.kind}] {block.heading}")
            lines.append(f"       text: {gist(block.paragraphs)}")
    info = article.author
    lines.append(
        f"  Author: {author_name or '(none)'}; from the file: name {info.name or '-'}, "
        f"job title {info.job_title or '-'}, role {info.role or '-'}"
    )
    lines.append(f"  Would update {existing.url_path}" if existing else "  Would create it")
    return "\n".join(lines)


def gist(paragraphs):
    """How many paragraphs and lists there are, and the first words."""
    if not paragraphs:
        return "none"
    lists = sum(isinstance(p, list) for p in paragraphs)
    counts = [plural(len(paragraphs) - lists, "paragraph"), plural(lists, "list")]
    first = paragraphs[0][0] if isinstance(paragraphs[0], list) else paragraphs[0]
    return f"{', '.join(c for c in counts if c)}, starting “{Truncator(first).words(8)}”"


def plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}" if count else ""
