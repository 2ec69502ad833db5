"""System checks: is the index what the public ranking expects?

Database checks (Django runs them with `manage.py check --database default` and before
`migrate`); each is a warning, so a site still starts and migrates:

- search.W001: the public search's tables cannot be read (a database not migrated yet is left
  to Django's own "unapplied migrations" notice: `migrate` runs these checks before it starts);
- search.W002: its FTS5 table (SQLite) lacks the columns PublicDocument declares;
- search.W003: it holds no document while live, public articles exist, or a different number
  (run `manage.py update_index --backend public`);
- search.W004: Wagtail's search tables are not as Wagtail's migrations make them (its SQLite
  FTS5 table recreated, or triggers added to its index table): something other than Wagtail
  changed them, and a Wagtail upgrade may undo or trip over it.
"""

from django.apps import apps
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

# What wagtailsearch.0006_customise_indexentry creates. search.0006 holds its own frozen copy
# (a migration never imports code that may change); this one follows Wagtail.
WAGTAIL_FTS = "CREATE VIRTUAL TABLE {table}_fts USING fts5(autocomplete, body, title)"
WAGTAIL_SQLITE_TRIGGERS = {
    "insert_wagtailsearch_indexentry_fts",
    "update_wagtailsearch_indexentry_fts",
    "delete_wagtailsearch_indexentry_fts",
}
UPDATE = "run `python manage.py update_index --backend public`"


@register(Tags.database)
def check_search_index(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    connection = connections["default"]
    if connection.vendor not in ("sqlite", "postgresql"):
        return []
    from .models import PublicDocument

    if PublicDocument._meta.db_table not in connection.introspection.table_names():
        return []  # not migrated yet (see above)
    try:
        return [*_own_index(connection), *_wagtail_tables(connection)]
    except DatabaseError as error:
        return [
            Warning(
                f"The public search's tables cannot be read ({error}).",
                hint="Run `python manage.py migrate`.",
                id="search.W001",
            )
        ]


def _own_index(connection):
    from healthpress.articles.models import ArticlePage

    from .models import PublicDocument

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA table_info({PublicDocument.fts_table()})")
            columns = [row[1] for row in cursor.fetchall()]
        if columns != PublicDocument.fts_columns():
            return [
                Warning(
                    f"The public search's FTS5 table {PublicDocument.fts_table()} has the "
                    f"columns {columns}, not {PublicDocument.fts_columns()}.",
                    hint="Run `python manage.py migrate search`.",
                    id="search.W002",
                )
            ]
    documents = PublicDocument.objects.count()
    public = ArticlePage.objects.live().public().count()
    if documents == public:
        return []
    if not documents:
        message = f"The public search's index is empty while {public} articles are public."
    else:
        message = (
            f"The public search's index holds {documents} articles while {public} are public "
            "(publishing updates it through the task queue: is `db_worker` running?)."
        )
    return [Warning(message, hint=f"To rebuild it, {UPDATE}.", id="search.W003")]


def _wagtail_tables(connection):
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    problems = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s",
                [f"{table}_fts"],
            )
            row = cursor.fetchone()
            if row is not None and row[0] != WAGTAIL_FTS.format(table=table):
                problems.append(f"{table}_fts is `{row[0]}`")
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            extra = {name for (name,) in cursor.fetchall()} - WAGTAIL_SQLITE_TRIGGERS
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
            extra = {name for (name,) in cursor.fetchall()}
    if extra:
        problems.append(f"triggers not Wagtail's on {table}: {', '.join(sorted(extra))}")
    return [
        Warning(
            f"Wagtail's search tables are not as Wagtail's migrations make them: {problem}.",
            hint="Run `python manage.py migrate search` (search.0006 puts them back); the "
            "public search keeps its own index and needs nothing of Wagtail's tables.",
            id="search.W004",
        )
        for problem in problems
    ]
