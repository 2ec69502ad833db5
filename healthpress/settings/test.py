"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL points at one."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-" + "x" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline in tests unless a test selects the database backend on purpose.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
