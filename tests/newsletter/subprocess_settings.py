"""Settings for the newsletter sender run as a real subprocess (the SIGKILL tests and the bench):
the test settings, with the database from DATABASE_URL and a real SMTP server from EMAIL_PORT."""

import os

from healthpress.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_TIMEOUT = 10
NEWSLETTER_RETRY_BACKOFF = 0.05
