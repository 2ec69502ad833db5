"""Links carry a random key instead of the subscriber's id: `token_key` becomes unique (it is
looked up), and each subscriber gets an `unsubscribe_key` of their own, never rotated, for the
one-click unsubscribe links."""

from django.db import migrations, models

import healthpress.newsletter.models


def give_each_subscriber_an_unsubscribe_key(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    for subscriber in Subscriber.objects.only("pk").iterator():
        subscriber.unsubscribe_key = healthpress.newsletter.models.new_token_key()
        subscriber.save(update_fields=["unsubscribe_key"])


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="subscriber",
            name="token_key",
            field=models.CharField(
                default=healthpress.newsletter.models.new_token_key, max_length=32, unique=True
            ),
        ),
        migrations.AddField(
            model_name="subscriber",
            name="unsubscribe_key",
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.RunPython(give_each_subscriber_an_unsubscribe_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscriber",
            name="unsubscribe_key",
            field=models.CharField(
                default=healthpress.newsletter.models.new_token_key, max_length=32, unique=True
            ),
        ),
    ]
