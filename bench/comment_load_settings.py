"""Settings for the server that the comment load test and benchmark start (see comment_load.py).

The test settings, with the two things a deployed server does differently and that decide what
a comment POST costs:

- persistent database connections, as in production (CONN_MAX_AGE, health checks). With a new
  connection per request, opening it (SQLite: file open plus the WAL pragmas; PostgreSQL: a new
  backend process) and closing it cost more CPU than the whole comment view;
- the database task backend, as in production: a new pending comment queues the moderator digest
  as a task row instead of running it inside the request.
"""

from healthpress.settings.test import *  # noqa: F403
from healthpress.settings.test import DATABASES

# The values healthpress/settings/production.py uses by default (it cannot be imported here: it
# refuses to load without a real SECRET_KEY and ALLOWED_HOSTS).
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
