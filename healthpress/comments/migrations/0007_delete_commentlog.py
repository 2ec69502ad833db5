# CommentLog's rows are in Wagtail's log since 0006; the table goes.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_history_in_wagtail_log")]

    operations = [migrations.DeleteModel(name="CommentLog")]
