"""The shapes of the API's answers, for the OpenAPI document (data.py builds them as dicts, and
the schema tests check every answer against these)."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class Error(Schema):
    detail: Any = Field(description="What went wrong, in words (or a list of field errors).")


class Person(Schema):
    name: str
    credentials: str
    display_name: str
    job_title: str
    role: str
    bio: str
    url: str = Field(description="Their author page.")


class TopicRef(Schema):
    id: int
    slug: str
    title: str
    url: str | None


class Dates(Schema):
    published: datetime | None = Field(description="First published.")
    modified: datetime | None = Field(description="Last published (any change).")
    updated: date | None = Field(description="When the advice last changed in substance.")
    last_reviewed: date | None = Field(description="Last approved by a medical reviewer.")
    next_review: date | None = Field(description="When the next medical review falls due.")


class Block(Schema):
    type: str = Field(
        description="section, prevention, see_doctor, urgent, first_aid, paragraph; more types "
        "may be added: show `html` for a type you do not know."
    )
    id: str | None
    label: str
    number: int | None = Field(description="The section's number, as the page shows it.")
    fields: dict[str, Any] = Field(
        description="The block's own fields; rich text as {text, html}, lists as arrays."
    )
    text: str = Field(description="The whole block as plain text.")
    html: str = Field(description="The whole block as sanitised HTML (no classes or scripts).")


class Reference(Schema):
    number: int
    title: str
    authors: str | None
    publisher: str | None
    year: int | None
    url: str | None
    accessed: date | None


class Licence(Schema):
    name: str
    url: str | None
    attribution: str = Field(description="Show this with the article, as written.")
    refresh_days: int = Field(
        description="Refresh your copy at least this often, and remove withdrawn articles "
        "within the same number of days."
    )


class Article(Schema):
    id: int
    question: str
    short_answer: str
    condition: str | None
    url: str
    canonical_url: str = Field(description="Give this as rel=canonical where you show the text.")
    embed_url: str
    api_url: str
    topic: TopicRef | None
    tags: list[str]
    author: Person | None
    reviewer: Person | None
    dates: Dates
    body: list[Block]
    references: list[Reference]
    disclaimer: str
    licence: Licence
    json_ld: dict[str, Any] = Field(description="The page's schema.org MedicalWebPage.")


class ArticleSummary(Schema):
    id: int
    question: str
    short_answer: str
    condition: str | None
    url: str | None
    api_url: str
    topic: str | None = Field(description="The topic's slug.")
    modified: datetime | None
    last_reviewed: date | None
    next_review: date | None


class ArticleList(Schema):
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[ArticleSummary]


class Topic(Schema):
    id: int
    slug: str
    title: str
    intro: str
    url: str | None
    article_count: int
    articles_url: str


class TopicList(Schema):
    results: list[Topic]


class ManifestEntry(Schema):
    id: int
    url: str | None
    modified: datetime | None
    next_review: date | None


class Manifest(Schema):
    next: str | None = Field(description="The next page, or null on the last one.")
    results: list[ManifestEntry]


class WithdrawnEntry(Schema):
    id: int
    url: str | None
    reason: Literal["unpublished", "deleted", "restricted"]
    withdrawn_at: datetime


class WithdrawnList(Schema):
    next: str | None
    results: list[WithdrawnEntry]


class SearchResults(Schema):
    query: str
    results: list[ArticleSummary]
