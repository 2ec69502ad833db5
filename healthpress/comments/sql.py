"""Names for the few statements the comment POST writes out by hand (see submission.py and
spam.py), taken from the models so a renamed table or column cannot leave them behind."""

from django.db import connection


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field_name):
    return connection.ops.quote_name(model._meta.get_field(field_name).column)
