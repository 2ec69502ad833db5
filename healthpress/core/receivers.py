"""Every signal the core app listens to, connected in one place (AppConfig.ready() calls
`connect()`)."""

from django.db.models.signals import pre_save
from wagtail.models import UploadedFile

from .images import clean_pending_upload


def connect():
    pre_save.connect(clean_pending_upload, sender=UploadedFile, dispatch_uid="clean-held-upload")
