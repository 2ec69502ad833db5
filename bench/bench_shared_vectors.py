"""Hybrid search's vectors shared between processes (issue 27; search/vectorstore.py,
docs/performance.md): what each web process beyond the first adds to its private memory (USS,
Private_Clean + Private_Dirty of /proc/<pid>/smaps_rollup) for N vectors, the nearest-neighbour
step over the mapped files, and what a reader pays to see one changed article.

Random unit vectors (seeded) in a temporary folder: memory and time do not depend on what the
vectors mean. Needs no database and no model. Prints figures, never fails on them.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from healthpress.search import vectorstore  # noqa: E402

DIMENSIONS = 256  # semantic.DIMENSIONS, without importing Django

# One web process: maps the vectors, runs one search over them (every page read), reports USS.
READER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from healthpress.search import vectorstore

    def uss_kb():
        lines = open("/proc/self/smaps_rollup").read().splitlines()[1:]
        fields = dict(line.split(":") for line in lines)
        return sum(int(fields[name].split()[0]) for name in ("Private_Clean", "Private_Dirty"))

    reader = vectorstore.Reader(vectorstore.Store(sys.argv[1], int(sys.argv[2])))
    np.einsum("ij,j->i", np.ones((4, 4), dtype=np.float32), np.ones(4, dtype=np.float32))
    before = uss_kb()
    view = reader.view()
    view.scores(np.ones(int(sys.argv[2]), dtype=np.float32))
    print(uss_kb() - before, flush=True)
    sys.stdin.readline()  # hold the mapping until the benchmark is done
    """
)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, metavar="N")
    parser.add_argument("--processes", type=int, default=3, metavar="P", help="web processes")
    parser.add_argument("--searches", type=int, default=300, metavar="N")
    args = parser.parse_args()
    rng = np.random.default_rng(27)

    def unit_rows(count):
        rows = rng.standard_normal((count, DIMENSIONS)).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    with tempfile.TemporaryDirectory() as folder:
        store = vectorstore.Store(folder, DIMENSIONS)
        started = time.perf_counter()
        with store.locked():
            store.replace_all(np.arange(1, args.articles + 1), unit_rows(args.articles))
        written_s = time.perf_counter() - started
        matrix_mb = args.articles * DIMENSIONS * 4 / 2**20
        print(
            f"shared vectors: {args.articles} x {DIMENSIONS} float32 = {matrix_mb:.0f} MiB, "
            f"written whole in {written_s * 1000:.0f} ms"
        )
        readers = []
        try:
            for number in range(1, args.processes + 1):
                process = subprocess.Popen(
                    [sys.executable, "-c", READER, folder, str(DIMENSIONS)],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"},
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                readers.append(process)
                added = int(process.stdout.readline()) / 1024
                print(f"web process {number}: the vectors add {added:.1f} MiB USS")
        finally:
            for process in readers:
                process.stdin.close()
                process.wait()
        print("(the first counts the file's pages as its own while no other process maps them)")

        reader = vectorstore.Reader(store)
        queries = unit_rows(args.searches)
        timings = []
        for query in queries:
            started = time.perf_counter()
            view = reader.view()
            ids, scores = view.scores(query)
            vectorstore.best(ids, scores, 100, 0.2)
            timings.append((time.perf_counter() - started) * 1000)
        ids, matrix = view.rows()  # the same rows copied into this process, as before
        private = []
        for query in queries:
            started = time.perf_counter()
            vectorstore.best(ids, np.einsum("ij,j->i", matrix, query), 100, 0.2)
            private.append((time.perf_counter() - started) * 1000)
        print(
            f"nearest neighbours over the mapped files: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {percentile(timings, 0.95):.1f} ms (over a private copy, same run: p50 "
            f"{statistics.median(private):.1f} ms, p95 {percentile(private, 0.95):.1f} ms)"
        )
        del ids, matrix

        changes = []
        for number in range(20):
            started = time.perf_counter()
            with store.locked():
                store.apply([args.articles + 1 + number], unit_rows(1), removed=[])
            written = time.perf_counter()
            view = reader.view()
            seen = time.perf_counter()
            changes.append(((written - started) * 1000, (seen - written) * 1000))
        write_ms = statistics.median(c[0] for c in changes)
        read_ms = statistics.median(c[1] for c in changes)
        print(
            f"one published article, median of 20: written in {write_ms:.1f} ms, seen by a "
            f"reader in {read_ms:.1f} ms (base kept mapped: {view.manifest['base']})"
        )


if __name__ == "__main__":
    main()
