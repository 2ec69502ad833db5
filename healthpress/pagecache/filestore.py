"""Django's file-based cache with a bound in bytes, for the page cache on one machine.

Django's FileBasedCache bounds the number of entries only; rendered pages vary from 5 KB to
over 1 MB (an article with hundreds of comments), so a count alone does not bound the disk.
After each write the folder's size is summed and, past MAX_BYTES, the least recently written
files go until it is back under nine tenths of the bound. Writes happen on a cache miss only.
"""

import contextlib
import os

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class BoundedFileCache(FileBasedCache):
    def __init__(self, location, params):
        super().__init__(location, params)
        self.location = os.path.abspath(location)
        options = params.get("OPTIONS", {})
        self.max_bytes = int(options.get("MAX_BYTES", 256 * 1024 * 1024))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self.trim()

    def size(self):
        return sum(size for size, _, _ in self._files())

    def trim(self):
        files = self._files()
        total = sum(size for size, _, _ in files)
        if total <= self.max_bytes:
            return
        for size, _, path in sorted(files, key=lambda f: f[1]):
            with contextlib.suppress(FileNotFoundError):  # another process trimmed it first
                os.remove(path)
            total -= size
            if total <= self.max_bytes * 0.9:
                break

    def _files(self):
        try:
            entries = list(os.scandir(self.location))
        except FileNotFoundError:
            return []
        files = []
        for entry in entries:
            if not entry.name.endswith(self.cache_suffix):
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_size, stat.st_mtime_ns, entry.path))
        return files
