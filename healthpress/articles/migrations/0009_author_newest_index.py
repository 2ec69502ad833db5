"""The author page's index: an author's articles newest first, on the article table (issue 27).

Wagtail keeps the date an article was first published on its page table, so the article table
gets a copy (FirstPublishedCopy, kept at every write) and one index holds author, date and page:
an author page reads its 20 ids from the index instead of sorting all of an author's articles.
It replaces 0008's (author, page) index, which this one covers.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import healthpress.articles.models


def copy_dates(apps, schema_editor):
    ArticlePage = apps.get_model("articles", "ArticlePage")
    Page = apps.get_model("wagtailcore", "Page")
    page_date = Page.objects.filter(pk=OuterRef("pk")).values("first_published_at")[:1]
    ArticlePage.objects.update(first_published_copy=Subquery(page_date))


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_author_listing_index")]

    operations = [
        migrations.AddField(
            model_name="articlepage",
            name="first_published_copy",
            field=healthpress.articles.models.FirstPublishedCopy(editable=False, null=True),
        ),
        migrations.RunPython(copy_dates, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="articlepage", name="articles_author_idx"),
        migrations.AddIndex(
            model_name="articlepage",
            index=models.Index(
                fields=["author", "-first_published_copy", "page_ptr"],
                name="articles_author_newest_idx",
            ),
        ),
    ]
