"""The article vectors of hybrid search in files that every process maps instead of copying.

A folder (SEARCH_VECTOR_DIR, var/vectors by default) holds numpy .npy files:

- `base-ids-<t>.npy`, `base-vectors-<t>.npy`: every article's id and vector when the base was
  last written whole;
- `delta-ids-<t>.npy`, `delta-vectors-<t>.npy`, `delta-removed-<t>.npy`: the rows written or
  removed since (an edited article's new vector replaces its base row);
- `manifest.json`: which files are current. Files are never changed once written: a writer
  writes new ones under a new token, then replaces the manifest (written beside it, then
  `os.replace`), so a reader sees the old set or the new one, never half of one.

Readers map the files read-only (`np.load(mmap_mode="r")`): their pages are the kernel's page
cache of the file, one copy for all the processes that map it, so a second web process adds a
mask of one byte per base row and the scores of the search under way, not the matrix
(docs/performance.md measures it). A reader notices a change with one `stat` of the manifest
per search; it then maps the new delta only and keeps the base it has mapped: a publish costs the
readers the changed rows, not the matrix. Once the delta outgrows COMPACT_SHARE of the base, the
writer folds it into a new base (the next readers map that one).

Writers serialise on a lock file (`flock`), so two task workers never lose each other's rows.
This module knows nothing of Django: search/hybrid.py fills it from ArticleEmbedding.
"""

import fcntl
import json
import os
import secrets
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

MANIFEST = "manifest.json"
COMPACT_FLOOR = 1000  # delta rows always allowed before the base is rewritten
COMPACT_SHARE = 20  # ...and beyond that, 1/20 of the base


def empty(dimensions):
    return np.zeros(0, dtype=np.int64), np.zeros((0, dimensions), dtype=np.float32)


def best(ids, scores, count, floor):
    """The `count` ids of the highest scores, best first (ties by id), at least `floor`."""
    if not len(ids):
        return []
    count = min(count, len(ids))
    top = np.argpartition(-scores, count - 1)[:count]
    top = top[np.lexsort((ids[top], -scores[top]))]
    return [int(ids[i]) for i in top if scores[i] >= floor]


class Store:
    """Writing side (and the reading of the manifest) of one folder of vectors."""

    def __init__(self, directory, dimensions):
        self.directory = Path(directory)
        self.dimensions = dimensions

    def manifest(self):
        try:
            return json.loads((self.directory / MANIFEST).read_text())
        except FileNotFoundError:
            return None

    @contextmanager
    def locked(self):
        """Held by every writer from reading the state it changes to replacing the manifest."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.directory / "lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def replace_all(self, ids, vectors, stamp=""):
        """A new base holding exactly these rows, and no delta. Call inside locked()."""
        old = self.manifest()
        token = secrets.token_hex(8)
        self._save(f"base-ids-{token}.npy", np.asarray(ids, dtype=np.int64))
        self._save(f"base-vectors-{token}.npy", np.asarray(vectors, dtype=np.float32))
        self._publish(old, {"base": token, "base_rows": len(ids), "delta": None, "stamp": stamp})

    def apply(self, ids, vectors, removed, stamp=""):
        """Rows written (`ids`, `vectors`) and removed (`removed` ids) since the manifest's state,
        added to the delta, or folded into a new base when the delta is large. Call inside
        locked(); with no store yet it does nothing (the first reader builds it whole)."""
        old = self.manifest()
        if old is None:
            return
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), self.dimensions)
        delta_ids, delta_vectors, delta_removed = self._delta(old)
        touched = np.union1d(ids, np.asarray(removed, dtype=np.int64))
        keep = ~np.isin(delta_ids, touched)
        delta_ids = np.concatenate([delta_ids[keep], ids])
        delta_vectors = np.concatenate([delta_vectors[keep], vectors])
        delta_removed = np.setdiff1d(np.union1d(delta_removed, removed), ids).astype(np.int64)
        if len(delta_ids) + len(delta_removed) > max(
            COMPACT_FLOOR, old["base_rows"] // COMPACT_SHARE
        ):
            base_ids, base_vectors = self._base(old)
            live = ~np.isin(base_ids, np.union1d(delta_ids, delta_removed))
            self.replace_all(
                np.concatenate([base_ids[live], delta_ids]),
                np.concatenate([base_vectors[live], delta_vectors]),
                stamp,
            )
            return
        token = secrets.token_hex(8)
        self._save(f"delta-ids-{token}.npy", delta_ids)
        self._save(f"delta-vectors-{token}.npy", delta_vectors)
        self._save(f"delta-removed-{token}.npy", delta_removed)
        self._publish(old, {**old, "delta": token, "stamp": stamp})

    def _base(self, manifest):
        token = manifest["base"]
        return (
            np.load(self.directory / f"base-ids-{token}.npy", mmap_mode="r"),
            np.load(self.directory / f"base-vectors-{token}.npy", mmap_mode="r"),
        )

    def _delta(self, manifest):
        token = manifest.get("delta")
        if not token:
            return (*empty(self.dimensions), np.zeros(0, dtype=np.int64))
        return tuple(
            np.load(self.directory / f"delta-{part}-{token}.npy", mmap_mode="r")
            for part in ("ids", "vectors", "removed")
        )

    def _save(self, name, array):
        with open(self.directory / name, "xb") as handle:
            np.save(handle, np.ascontiguousarray(array))
            handle.flush()
            os.fsync(handle.fileno())

    def _publish(self, old, manifest):
        """Make `manifest` current, then delete the files only `old` named: a reader that has
        them mapped keeps them until it lets go (an unlinked file lives while it is mapped)."""
        temporary = self.directory / f"{MANIFEST}.{secrets.token_hex(4)}"
        with open(temporary, "w") as handle:
            json.dump(manifest, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / MANIFEST)
        if old:
            for key, prefix in (("base", "base"), ("delta", "delta")):
                if old.get(key) and old[key] != manifest.get(key):
                    for path in self.directory.glob(f"{prefix}-*-{old[key]}.npy"):
                        path.unlink(missing_ok=True)


class View:
    """One process's read-only view of the store as one manifest names it."""

    def __init__(self, store, manifest, previous=None):
        self.manifest = manifest
        if previous is not None and previous.manifest["base"] == manifest["base"]:
            self.base_ids, self.base_vectors = previous.base_ids, previous.base_vectors
        else:
            self.base_ids, self.base_vectors = store._base(manifest)
        self.delta_ids, self.delta_vectors, removed = store._delta(manifest)
        covered = np.union1d(self.delta_ids, removed)
        # Base rows replaced or removed since the base was written; None when there are none.
        self.base_live = ~np.isin(self.base_ids, covered) if len(covered) else None

    def __len__(self):
        live = len(self.base_ids) if self.base_live is None else int(self.base_live.sum())
        return live + len(self.delta_ids)

    def scores(self, query_vector):
        """(ids, cosine of each row with `query_vector`), replaced and removed rows left out.
        einsum, not `matrix @ vector`: OpenBLAS's threads on a busy 2-core machine were 10
        times slower for this one product (search/hybrid.py)."""
        ids, scores = self.base_ids, np.einsum("ij,j->i", self.base_vectors, query_vector)
        if self.base_live is not None:
            ids, scores = ids[self.base_live], scores[self.base_live]
        if len(self.delta_ids):
            ids = np.concatenate([ids, self.delta_ids])
            scores = np.concatenate(
                [scores, np.einsum("ij,j->i", self.delta_vectors, query_vector)]
            )
        return np.asarray(ids), scores

    def rows(self):
        """(ids, matrix) of every current row, copied into this process (benchmarks only)."""
        base_ids, base_vectors = np.asarray(self.base_ids), np.asarray(self.base_vectors)
        if self.base_live is not None:
            base_ids, base_vectors = base_ids[self.base_live], base_vectors[self.base_live]
        return (
            np.concatenate([base_ids, self.delta_ids]),
            np.concatenate([base_vectors, self.delta_vectors]),
        )


class Reader:
    """A process's current View of a store, replaced when the manifest is (one stat a call)."""

    def __init__(self, store):
        self.store = store
        self._key = None
        self._view = None
        self._lock = threading.Lock()

    def view(self):
        """The current View, or None while the store has never been written."""
        try:
            status = os.stat(self.store.directory / MANIFEST)
        except FileNotFoundError:
            return None
        key = (status.st_ino, status.st_mtime_ns, status.st_size)
        if key != self._key:
            with self._lock:
                if key != self._key:
                    self._view = self._open()
                    self._key = key
        return self._view

    def _open(self):
        for _attempt in range(5):
            manifest = self.store.manifest()
            if manifest is None:
                return None
            try:
                return View(self.store, manifest, previous=self._view)
            except FileNotFoundError:
                continue  # replaced and cleaned up between reading the manifest and mapping
        raise RuntimeError(f"{self.store.directory}: the vector files keep changing under us")
