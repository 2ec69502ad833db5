"""A partial index on Wagtail's page table: the pages that are not live (issue 27).

`live_public_unjoined()` (core/pages.py) finds an author's live, public articles as all of them
less the hidden ones; this index finds the pages that are not live without reading the page
table (drafts are few: the index is small). `live` is in it though every entry's is false:
SQLite reads a partial index without the table only for the columns it holds, and otherwise
scanned a 100,000-entry index that holds `live` instead (9 ms). The table is Wagtail's, so the
index is added through the schema editor rather than a model's Meta, as core 0003 does.
"""

from django.db import migrations, models
from django.db.models import Q

INDEX = models.Index(fields=["id", "live"], condition=Q(live=False), name="hp_page_not_live_idx")


def add_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model("wagtailcore", "Page"), INDEX)


def remove_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("wagtailcore", "Page"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_page_listing_index")]

    operations = [migrations.RunPython(add_index, remove_index)]
