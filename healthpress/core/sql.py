"""Names for the statements written out by hand instead of built by the ORM: the newsletter
sender's per-message status writes (newsletter/sender.py: about 0.45 ms per message,
docs/newsletter.md).

Table and column names come from the models, so a renamed table or column cannot leave a
statement behind."""

from django.db import connection


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field_name):
    return connection.ops.quote_name(model._meta.get_field(field_name).column)
