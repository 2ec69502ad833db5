"""Once: English stemming by recreating Wagtail's SQLite FTS5 table with the Porter stemmer.

It changed a table that is Wagtail's (modelsearch's), which a later Wagtail migration could
undo silently. The public search now keeps its stemmed words in tables of its own
(search.0006), so this migration does nothing; on a site where it already ran, search.0006
puts Wagtail's table back exactly as Wagtail's migration makes it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = []
