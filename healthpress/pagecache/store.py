"""The shared store of rendered pages (`CACHES["pages"]`: files on one machine, Redis for many).

Every entry carries the stamp it was rendered under: the store's generation and its path's
version, both read before rendering began. A lookup fetches generation, version and entry in one
round trip and serves the entry only when its stamp is still current. So:

- purging paths sets a new version for each; purging everything sets a new generation. Nothing
  is deleted or scanned, and nothing outside the page cache's own keys is touched; entries left
  behind expire (every key has a TTL) or are evicted (docs/deploy.md: Redis `maxmemory`);
- a render that began before a purge (it may have read the old rows) is stored under the old
  stamp and never served, so a purge cannot be undone by a slow reader storing its stale copy;
- an evicted or expired generation or version key acts as a purge, never as a stale hit.
"""

import logging
import time
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)
GENERATION = "g"


def page_cache():
    return caches["pages"]


def ttl():
    return settings.PAGE_CACHE_SECONDS


def find(key):
    """The stored entry for `key` if its stamp is still current, else None."""
    found = page_cache().get_many([GENERATION, key.version, key.entry])
    entry = found.get(key.entry)
    if entry is None or entry["stamp"] != (found.get(GENERATION), found.get(key.version)):
        return None
    return entry


def current_stamp(key):
    """The stamp a render starting now is filed under (created where missing)."""
    cache = page_cache()
    found = cache.get_many([GENERATION, key.version])
    for name in (GENERATION, key.version):
        if found.get(name) is None:
            cache.add(name, uuid4().hex, timeout=ttl())
            found[name] = cache.get(name)
    return found[GENERATION], found[key.version]


def put(key, entry, stamp):
    cache = page_cache()
    entry["stamp"] = stamp
    entry["expires"] = time.time() + ttl()
    cache.set(key.entry, entry, timeout=ttl())
    # Keep the stamp's keys alive as long as the entries filed under them.
    cache.touch(GENERATION, timeout=ttl())
    cache.touch(key.version, timeout=ttl())


def new_versions(version_keys):
    page_cache().set_many({name: uuid4().hex for name in version_keys}, timeout=ttl())


def new_generation():
    page_cache().set(GENERATION, uuid4().hex, timeout=ttl())


def reachable():
    """Whether the store answers (for /healthz: without it pages are rendered, not cached)."""
    try:
        page_cache().get(GENERATION)
    except Exception:
        return False
    return True
