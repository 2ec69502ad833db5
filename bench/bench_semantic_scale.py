"""Hybrid search at scale: the memory and latency of the nearest-neighbour step for a corpus
larger than the benchmark's (issue 18: 100,000 synthetic articles; docs/performance.md).

`make bench-search BENCH_SEARCH_ARGS=--semantic` measures the whole search on the real corpus
(17,825 articles). Importing 100,000 articles as pages would take hours here, so this measures
the parts of the hybrid search whose cost grows with the number of articles, with the project's
own functions, on synthetic data:

- embedding N synthetic article texts (semantic.embed: the `rebuild_embeddings` step);
- the memory a web process gains holding N vectors, and the time to build that matrix from the
  stored rows (hybrid.stack: what each process does when the index generation moves), after
  reading N rows of (id, 1 KB vector) from a scratch SQLite table;
- one search's nearest-neighbour step over N articles (hybrid.most_similar), p50 / p95.

The synthetic texts are question-like strings drawn from a fixed word list (seeded): their
vectors have the spread of real text, which the timings do not depend on. Prints figures, never
fails on timing.
"""

import argparse
import gc
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.dev")

WORDS = (  # noqa: SIM905 (a word list reads better as text)
    "pain swelling ankle knee back head stomach belly chest skin rash itch fever cough cold "
    "tired sleep night morning cramp muscle leg arm hand foot heart blood pressure sugar "
    "diabetes asthma allergy child baby pregnancy older adult medicine tablet dose side "
    "effect doctor nurse test scan eye ear throat tooth bone joint stiff numb tingling dizzy "
    "sick vomit diarrhoea constipation bloating weight diet exercise water salt calcium "
    "vitamin iron anxiety stress mood memory breath wheeze sneeze nose sinus bladder kidney "
    "liver thyroid"
).split()
STARTS = (
    "Why do I have",
    "What causes",
    "How do I treat",
    "When should I worry about",
    "Is it normal to have",
    "Can I prevent",
)


def synthetic_texts(count, seed=18):
    rng = random.Random(seed)
    for _ in range(count):
        topic = " ".join(rng.sample(WORDS, 3))
        answer = " ".join(rng.choices(WORDS, k=rng.randint(20, 45)))
        headings = "\n".join(" ".join(rng.sample(WORDS, 2)) for _ in range(rng.randint(2, 5)))
        yield f"{rng.choice(STARTS)} {topic}?\n{answer}\n{headings}"


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=100_000,
        metavar="N",
        help="synthetic articles (default: 100000)",
    )
    parser.add_argument(
        "--searches",
        type=int,
        default=300,
        metavar="N",
        help="nearest-neighbour searches timed (default: 300)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np

    from healthpress.search import hybrid, semantic

    print(f"semantic scale: {args.articles} synthetic articles, {semantic.MODEL_NAME}")
    before = rss_mb()
    semantic.model()
    print(f"model loaded: +{rss_mb() - before:.0f} MB resident")

    texts = list(synthetic_texts(args.articles))
    started = time.perf_counter()
    rows = []
    for start in range(0, len(texts), 2000):
        vectors = semantic.embed(texts[start : start + 2000])
        rows.extend((start + n + 1, semantic.to_bytes(v)) for n, v in enumerate(vectors))
    embed_s = time.perf_counter() - started
    print(
        f"embedding: {args.articles} texts in {embed_s:.1f} s "
        f"({args.articles / embed_s:,.0f} a second)"
    )
    queries = [semantic.embed([t])[0] for t in synthetic_texts(args.searches, seed=99)]
    del texts

    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "vectors.sqlite3")
        db.execute("CREATE TABLE embedding (article_id INTEGER PRIMARY KEY, vector BLOB)")
        db.executemany("INSERT INTO embedding VALUES (?, ?)", rows)
        db.commit()
        del rows
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        cursor = db.execute("SELECT article_id, vector FROM embedding")
        ids, matrix = hybrid.stack(cursor, expected=args.articles)
        read_s = time.perf_counter() - started
        gc.collect()
        held = rss_mb() - before
        db.close()
    print(
        f"matrix: {matrix.shape[0]} x {matrix.shape[1]} float32 = "
        f"{(matrix.nbytes + ids.nbytes) / 1e6:.0f} MB of arrays, +{held:.0f} MB resident; "
        f"read from the database into it in {read_s * 1000:.0f} ms"
    )

    timings = []
    for query in queries:
        started = time.perf_counter()
        hybrid.most_similar(ids, matrix, query)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"nearest neighbours: {len(timings)} searches, p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms (numpy {np.__version__}, one thread)"
    )


if __name__ == "__main__":
    main()
