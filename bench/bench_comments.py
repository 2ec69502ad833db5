"""Comment benchmarks: POST rate and p95 latency at 64 connections (SQLite and PostgreSQL, rate
limits off for the run only), and the uncached render time of an article with 500 approved
comments. Loopback only, bounded in count and time; prints figures and always exits 0.

    .venv/bin/python bench/bench_comments.py

The server is the production one as `make serve` starts it (granian, 2 workers, one blocking
thread each: healthpress.launch.serve.server_command) with persistent database connections
(bench/comment_load_settings.py). The client is wrk (Debian package) with a Lua script
that posts a new comment per request: 64 keep-alive connections, a 2 s warm-up, then 10 s
measured. Without wrk, the Python client of the concurrency test posts 64 x 20 instead.

Besides the rate, it prints the server's CPU time per comment, which does not depend on what
else the machine is running; the rate and latency do (the client shares the two cores).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.test")

from bench import comment_load  # noqa: E402

CONNECTIONS = 64
POSTS_PER_CONNECTION = 20  # the Python client only
WARM_UP_SECONDS, SECONDS = 2, 10  # wrk
PG_URL = os.environ.get("COMMENTS_LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# One worker process per core, as `make serve` (WEB_WORKERS) defaults to on this 2-core machine.
# Each takes one request at a time (granian's blocking thread): on two cores, more threads or
# gunicorn's threaded workers measured slower (docs/comments.md, "Queries and speed").
WORKERS = max(2, min(8, os.cpu_count() or 2))

RENDER_SCRIPT = """
import statistics, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.conftest import make_article_content
from healthpress.articles.content import save_article
from healthpress.comments.models import Comment
from healthpress.core.site import ensure_home_page, get_or_create_topic
ensure_home_page()
topic = get_or_create_topic("Render bench")[0]
page, _ = save_article(make_article_content("Why render 500 comments?"), topic=topic, publish=True)
tops = Comment.objects.bulk_create(
    Comment(
        article=page,
        name=f"Reader {n}",
        body=f"Comment {n}\\nwith a second line.\\n\\nAnd a paragraph.",
        status="approved",
    )
    for n in range(250)
)
Comment.objects.bulk_create(
    Comment(article=page, parent=top, name="Replier", body="A reply.", status="approved")
    for top in tops
)
assert Comment.objects.visible().filter(article=page).count() == 500
client = Client(SERVER_NAME="localhost")
url = page.url
client.get(url)
with CaptureQueriesContext(connection) as q:
    assert client.get(url).status_code == 200
queries = len(q.captured_queries)  # read now: the next request clears the query log
times = []
for _ in range(60):
    start = time.perf_counter()
    response = client.get(url)
    times.append(time.perf_counter() - start)
    assert response.status_code == 200 and b"Comments (500)" in response.content
p50 = statistics.median(times) * 1000
p95 = statistics.quantiles(times, n=20)[-1] * 1000
bare, _ = save_article(make_article_content("Why no comments?"), topic=topic, publish=True)
client.get(bare.url)
bare_times = []
for _ in range(60):
    start = time.perf_counter()
    client.get(bare.url)
    bare_times.append(time.perf_counter() - start)
bare_p50 = statistics.median(bare_times) * 1000
print(f"{bare_p50:.1f} {p50:.1f} {p95:.1f} {queries}")
"""


def bench_posts(kind):
    try:
        with comment_load.scratch_database(kind, PG_URL) as (url, folder):
            with comment_load.running_server(url, folder, workers=WORKERS) as (
                port,
                article_id,
                _log,
                server,
            ):
                if comment_load.wrk_available():
                    figures = posts_with_wrk(port, article_id, server)
                else:
                    figures = posts_with_python(port, article_id, server)
            stored, pending = comment_load.stored_comments(url, folder)
    except Exception as exc:  # a benchmark reports, it does not fail
        print(f"{kind}: not measured ({exc})")
        return
    cpu = figures["cpu_ms"]
    print(
        f"{kind:10} comment POST: {figures['rate']:7.1f} comments/s, "
        f"p50 {figures['p50']:6.1f} ms, p95 {figures['p95']:6.1f} ms, "
        f"server CPU {f'{cpu:.2f} ms' if cpu is not None else 'n/a'} per comment "
        f"({figures['requests']} posts by {figures['client']}, {CONNECTIONS} connections, "
        f"make serve's granian, {WORKERS} workers, {figures['errors']} errors, "
        f"{stored} stored incl. warm-up, {pending} of them pending)"
    )


def server_cpu_ms(before, after, requests):
    if before is None or after is None or not requests:
        return None
    return (after - before) / requests * 1000


def posts_with_wrk(port, article_id, server):
    comment_load.wrk_comments(port, article_id, CONNECTIONS, WARM_UP_SECONDS, run="warm-up")
    before = comment_load.process_tree_cpu(server.pid)
    result = comment_load.wrk_comments(port, article_id, CONNECTIONS, SECONDS, run="measured")
    after = comment_load.process_tree_cpu(server.pid)
    return {
        "client": f"wrk in {SECONDS} s",
        "rate": result["requests"] / result["seconds"],
        "p50": result["p50"],
        "p95": result["p95"],
        "requests": result["requests"],
        "errors": result["errors"] + result["not_redirected"],
        "cpu_ms": server_cpu_ms(before, after, result["requests"]),
    }


def posts_with_python(port, article_id, server):
    comment_load.post_comments(port, article_id, 8, 2)  # warm up each worker
    before = comment_load.process_tree_cpu(server.pid)
    latencies, errors, wall = comment_load.post_comments(
        port, article_id, CONNECTIONS, POSTS_PER_CONNECTION, time_limit=90
    )
    after = comment_load.process_tree_cpu(server.pid)
    ordered = sorted(latencies)
    return {
        "client": "Python threads (no wrk)",
        "rate": len(latencies) / wall,
        "p50": ordered[len(ordered) // 2] * 1000,
        "p95": comment_load.p95(latencies) * 1000,
        "requests": len(latencies),
        "errors": len(errors),
        "cpu_ms": server_cpu_ms(before, after, len(latencies)),
    }


def bench_render():
    with tempfile.TemporaryDirectory(prefix="hp-comments-render-") as folder:
        env = comment_load.server_env(f"sqlite:///{folder}/render.sqlite3", folder)
        result = subprocess.run(
            [sys.executable, "-c", RENDER_SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode:
        print(f"render: not measured\n{result.stderr[-2000:]}")
        return
    bare, p50, p95, queries = result.stdout.split()[-4:]
    print(
        f"article with 500 approved comments (250 threads + 250 replies, first page of 50 threads),"
        f" uncached, SQLite: p50 {p50} ms, p95 {p95} ms, {queries} SQL queries"
        f" (same article without comments: p50 {bare} ms)"
    )


def main():
    print(f"comments benchmark ({os.cpu_count()} CPUs)")
    bench_posts("sqlite")
    from healthpress.launch.dbcheck import reachable

    if reachable(PG_URL):
        bench_posts("postgresql")
    else:
        print(f"postgresql: skipped, nothing answers at {PG_URL}")
    bench_render()
    return 0


if __name__ == "__main__":
    sys.exit(main())
