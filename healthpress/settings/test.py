"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL points at one."""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-key-" + "x" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline in tests unless a test selects the database backend on purpose.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# The page cache is switched on per test (tests/pagecache/) so that no test sees a
# page cached by another one.
PAGE_CACHE_SECONDS = 0
if not env_str("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
elif (worker := os.environ.get("PYTEST_XDIST_WORKER")) and "pytest" in sys.modules:
    # `make test` runs the suite in several processes (pytest-xdist) on the same Redis databases:
    # each keeps its keys under a prefix of its own and clears only those (tests/worker_cache.py).
    # Not in a process a test starts (it inherits the variable): that one plays another app
    # process and shares the usual prefix, as the test expects.
    for cache in CACHES.values():  # noqa: F405
        cache["BACKEND"] = "tests.worker_cache.WorkerRedisCache"
        cache["KEY_PREFIX"] = f"{cache['KEY_PREFIX']}-{worker}"
# Searches are logged at once and not rate-limited, unless a test says otherwise.
SEARCH_LOG_BATCH_SIZE = 1
SEARCH_RATE_LIMITS = []
SEARCH_CACHE_SECONDS = 0
# The word ranking's tests compare exact orders, and a publish would embed in every test:
# tests/search/test_semantic.py turns hybrid search on where it tests it.
SEARCH_SEMANTIC = False
# The shared vectors follow each process's own test database, not the checkout's var/.
SEARCH_VECTOR_DIR = Path(tempfile.gettempdir()) / "healthpress-test-vectors" / str(os.getpid())
atexit.register(shutil.rmtree, SEARCH_VECTOR_DIR, ignore_errors=True)
QUESTIONS_RATE_LIMITS = []
# Publishing would check the demo's reference URLs on the internet; the reference tests turn it on
# against their own local servers.
REFERENCE_CHECK_ON_PUBLISH = False
# Uploads and renditions of a test run go to a folder of their own, never the checkout's var/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="healthpress-test-media-")
