"""Render cost of the demo cramps article with the page cache off: queries, time, instructions.

    .venv/bin/python bench/bench_render.py [--stack sqlite|postgres|both] [--renders N]

In one process, through Django's test client and the production settings: the number of SQL
queries per render, the median and minimum render time (and the median CPU time of this process,
which counts no one else's work), and, where valgrind is installed, the
CPU instructions per render counted by callgrind. Times on a shared or virtual machine drift by
tens of percent from one minute to the next; the instruction count does not, so it is the figure
to compare two versions of the code by. Figures are printed, never asserted.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_pages  # noqa: E402  (the same demo site, settings and article as the page bench)

PG_CHECK_URL = "postgres://postgres@127.0.0.1:5432/test"


def measure(renders, count_instructions):
    """Runs inside the prepared site's environment: print the figures for this process."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(20):  # imports, connections, Wagtail's site-root cache
        assert client.get(bench_pages.ARTICLE).status_code == 200
    if count_instructions:
        toggle = ["callgrind_control", "-i"]
        subprocess.run([*toggle, "on", str(os.getpid())], check=True, capture_output=True)
        for _ in range(renders):
            client.get(bench_pages.ARTICLE)
        subprocess.run([*toggle, "off", str(os.getpid())], check=True, capture_output=True)
        return
    with CaptureQueriesContext(connection) as queries:
        client.get(bench_pages.ARTICLE)
    query_count = len(queries)  # now: each request clears Django's query log
    times, cpu = [], []
    for _ in range(renders):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(bench_pages.ARTICLE)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    # On a shared machine the wall time counts other people's work; this process's CPU time is
    # the render's own (on PostgreSQL the server's share of each query is outside it).
    print(
        f"  {query_count} queries, render p50 {statistics.median(times):.1f} ms, "
        f"fastest {min(times):.1f} ms (CPU p50 {statistics.median(cpu):.1f} ms; "
        f"{renders} renders)",
        flush=True,
    )


def instructions(env, workdir, renders=10):
    out = workdir / "callgrind.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
        sys.executable,
        __file__,
        "--inner",
        "--count-instructions",
        "--renders",
        str(renders),
    ]
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    # "summary:" may be 0 when counting starts late; "totals:" holds what was counted.
    counts = [
        int(line.split()[1])
        for line in out.read_text().splitlines()
        if line.startswith(("summary:", "totals:"))
    ]
    return max(counts) / renders


def run_stack(stack, renders):
    workdir = Path(tempfile.mkdtemp(prefix=f"hp-render-{stack}-"))
    hosts = "127.0.0.1,testserver"  # the test client asks for "testserver"
    env = bench_pages.site_env(workdir, ALLOWED_HOSTS=hosts, PAGE_CACHE_SECONDS="0")
    try:
        if stack == "postgres":
            database = "hp_render"
            subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", database])
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
            env.update(
                DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
                REDIS_URL=bench_pages.REDIS_URL,
            )
        bench_pages.prepare_site(env)
        print(f"\n{stack}: {bench_pages.ARTICLE}", flush=True)
        inner = [sys.executable, __file__, "--inner", "--renders", str(renders)]
        subprocess.run(inner, env=env, cwd=ROOT, check=True)
        if shutil.which("valgrind") and shutil.which("callgrind_control"):
            count = instructions(env, workdir)
            print(f"  {count / 1e6:.1f} million instructions per render (callgrind)")
        else:
            print("  instructions: valgrind not found (Debian package valgrind)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count-instructions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        measure(args.renders, args.count_instructions)
        return 0
    for stack in ["sqlite", "postgres"] if args.stack == "both" else [args.stack]:
        check = [sys.executable, "-m", "healthpress.launch.dbcheck", PG_CHECK_URL]
        if stack == "postgres" and subprocess.run(check, cwd=ROOT, capture_output=True).returncode:
            print("\npostgres: skipped, no PostgreSQL at 127.0.0.1:5432")
            continue
        run_stack(stack, args.renders)
    return 0


if __name__ == "__main__":
    sys.exit(main())
