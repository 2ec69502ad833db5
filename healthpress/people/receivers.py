"""Every signal the people app listens to, connected in one place (AppConfig.ready() calls
`connect()`)."""

from django.db.models.signals import post_delete, post_save

from .models import Person
from .purge_rules import on_person_change


def connect():
    post_save.connect(on_person_change, sender=Person, dispatch_uid="pagecache-person")
    post_delete.connect(on_person_change, sender=Person, dispatch_uid="pagecache-person-del")
