from django.db import models
from django.utils import timezone


class DemoItem(models.Model):
    """A piece of demo activity (activity.py) that load_demo has made, by its key.

    The record outlives the thing it names: a demo comment a moderator deleted, or a question an
    editor declined and erased, is not made again by the next `make run`.
    """

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "demo item"

    def __str__(self):
        return self.key
