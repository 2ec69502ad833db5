"""Names and shared conditions for the statements written out by hand instead of built by the
ORM: the article page's related questions (articles/related.py: the ORM query cost about 7 ms of
CPU to build, and Wagtail's `public()` one more query) and the newsletter sender's per-message
status writes (newsletter/sender.py: about 0.45 ms per message, docs/newsletter.md).

Table and column names come from the models, so a renamed table or column cannot leave a
statement behind."""

from django.db import connection


def raw(model, sql, params):
    """`model.objects.raw(sql, params)`, without first building the manager's default queryset:
    Wagtail's page managers order it by path, about 0.1 ms of CPU that raw() then discards."""
    from django.db.models.query import RawQuerySet

    return RawQuerySet(sql, model=model, params=params)


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field_name):
    return connection.ops.quote_name(model._meta.get_field(field_name).column)


def joined_to_page(model, alias):
    """(the quoted page-link column, `FROM <model> alias JOIN <page> p ON ...`) for a specific
    page model: its own row joined to its Wagtail page row, which is always `p`."""
    from wagtail.models import Page

    ptr = connection.ops.quote_name(model._meta.pk.column)
    page_id = column(Page, "id")
    return ptr, f"FROM {table(model)} {alias} JOIN {table(Page)} p ON p.{page_id} = {alias}.{ptr}"


def page_columns(alias, names):
    """Wagtail page columns for a SELECT list, as `alias.column`."""
    from wagtail.models import Page

    return ", ".join(f"{alias}.{column(Page, name)}" for name in names)


def no_view_restriction(alias):
    """SQL that is true when no view restriction covers page `alias`: a restriction covers its
    page's whole subtree, and a page's ancestors are exactly the pages whose tree path is a prefix
    of its own. The same rule as Wagtail's `PageQuerySet.public()`, as one NOT EXISTS."""
    from wagtail.models import Page, PageViewRestriction

    page, path = table(Page), column(Page, "path")
    return (
        f"NOT EXISTS (SELECT 1 FROM {table(PageViewRestriction)} r "
        f"JOIN {page} rp ON rp.{column(Page, 'id')} = r.{column(PageViewRestriction, 'page')} "
        f"WHERE rp.{path} = SUBSTR({alias}.{path}, 1, LENGTH(rp.{path})))"
    )
