"""What each server process keeps in its own memory: recent pages, and renders under way."""

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager


class LocalCopies:
    """The pages this process served last, each filed under the purge-clock token it was read
    with. A copy is good while the clock shows that token and the shared entry has not expired;
    at most `size` copies are kept, the oldest dropped first."""

    def __init__(self, size):
        self.size = size
        self.copies = OrderedDict()
        # Servers with several threads per process put copies concurrently; reads need no lock.
        self.lock = threading.Lock()

    def get(self, key, token):
        copy = self.copies.get(key)
        if copy is None or copy[0] != token or copy[1].get("expires", 0) <= time.time():
            return None
        return copy[1]

    def put(self, key, token, entry):
        if self.size <= 0:
            return
        with self.lock:
            self.copies[key] = (token, entry)
            self.copies.move_to_end(key)
            while len(self.copies) > self.size:
                self.copies.popitem(last=False)


class SingleFlight:
    """At most one render of a page at a time in this process.

    After a purge every reader of a popular page misses at once. The first one renders; the
    others wait for it (at most `wait` seconds, then they render too) and are then served what
    it stored.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.running = {}

    @contextmanager
    def join(self, key, wait):
        """Yields True to the one that should render, False to the ones that waited."""
        with self.lock:
            done = self.running.get(key)
            leads = done is None
            if leads:
                done = self.running[key] = threading.Event()
        if not leads:
            done.wait(wait)
            yield False
            return
        try:
            yield True
        finally:
            with self.lock:
                self.running.pop(key, None)
            done.set()
