"""Partner API benchmark (issue 29): one article by id, its 304, and the whole manifest of
100,000 articles page after page.

    .venv/bin/python bench/bench_api.py [--stack sqlite|postgres|both] [--articles N]
                                        [--requests N] [--redis URL]

A throwaway site under the production settings (the demo, then N synthetic articles), measured
in-process through Django's test client, so every middleware runs but no HTTP server:

- one article by id, uncached (the page cache off: built on every request): queries, p50, p95;
- the same with the page cache on, revalidated with If-None-Match: the 304's p50, p95;
- the manifest: every live article, 1,000 a page, following `next` to the end, twice: time,
  pages, and the process's resident memory after the first page, the tenth, the first pass and
  the second (each after a garbage collection): flat when the second pass adds nothing.

Budgets (docs/performance.md): article p50 <= 15 ms uncached, 304 <= 5 ms, the manifest of
100,000 articles <= 10 s with memory flat.

The synthetic articles are made the way a fixture is loaded, not through save_article (which
at 10-30 articles a second would take an hour): the Page rows are bulk-created with their tree
paths from treebeard's own path function (`Page._get_path`, the step numbering `add_child`
uses) and the topics' child counts set to match; the ArticlePage rows, copies of the demo's
cramps article with their own question, go in with one INSERT per 2,000 rows, every table and
column name taken from the models. They are live, with no revisions, search-index entries or
tags: nothing the API reads besides the rows. Figures are printed, never asserted.
"""

import argparse
import gc
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_pages  # noqa: E402  (the production settings for a throwaway site)

PG_CHECK_URL = "postgres://postgres@127.0.0.1:5432/test"
PG_DATABASE = "hp_bench_api"
CRAMPS_SLUG = "is-cramping-caused-by-excessive-calcium-or-insufficient-calcium"
BATCH = 2000
MANIFEST_PAGE = 1000


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def settled_rss_mb():
    """Resident memory once the garbage of earlier requests (Django's request objects hold
    reference cycles) is collected: what the process keeps, not what it has yet to free."""
    gc.collect()
    return rss_mb()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def generate(count):
    """Inside the site's environment: add `count` live articles, spread over the topics."""
    import django

    django.setup()
    from uuid import uuid4

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm
    from wagtail.models import Page

    from healthpress.articles.models import ArticlePage
    from healthpress.core.models import TopicPage

    started = time.perf_counter()
    template = ArticlePage.objects.get(slug=CRAMPS_SLUG)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    topics = list(TopicPage.objects.order_by("path"))
    now = timezone.now()
    # The article table's own columns (not the Page parent's), as the model names them.
    own = [f for f in ArticlePage._meta.local_concrete_fields if f.name != "page_ptr"]
    columns = [ArticlePage._meta.get_field("page_ptr").column, *(f.column for f in own)]
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(ArticlePage._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    values = {f.name: f.get_db_prep_save(getattr(template, f.attname), connection) for f in own}

    made = 0
    with tqdm(total=count, unit="article", desc="synthetic articles") as progress:
        while made < count:
            for topic in topics:
                if made >= count:
                    break
                size = min(BATCH, count - made)
                first = topic.numchild + 1
                pages = []
                for step in range(first, first + size):
                    n = made + step - first + 1
                    slug = f"bench-{topic.slug}-{step}"
                    title = f"Synthetic question number {n}: why does it hurt?"
                    pages.append(
                        Page(
                            path=Page._get_path(topic.path, topic.depth + 1, step),
                            depth=topic.depth + 1,
                            numchild=0,
                            title=title,
                            draft_title=title,
                            slug=slug,
                            url_path=f"{topic.url_path}{slug}/",
                            content_type=content_type,
                            live=True,
                            has_unpublished_changes=False,
                            first_published_at=now,
                            last_published_at=now,
                            locale_id=topic.locale_id,
                            translation_key=uuid4(),
                        )
                    )
                with transaction.atomic():
                    created = Page.objects.bulk_create(pages)
                    rows = [[page.pk, *(values[f.name] for f in own)] for page in created]
                    with connection.cursor() as cursor:
                        cursor.executemany(insert, rows)
                    topic.numchild += size
                    TopicPage.objects.filter(pk=topic.pk).update(numchild=topic.numchild)
                made += size
                progress.update(size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum would soon do after so many new rows
    seconds = time.perf_counter() - started
    print(f"  {count:,} synthetic articles in {seconds:.1f} s ({count / seconds:,.0f} a second)")


def timed(client, url, runs, **headers):
    """Wall and CPU milliseconds of `runs` requests. On a shared machine the wall time counts
    other people's work too; the CPU time of this process is what the request itself cost
    (on PostgreSQL, the server's own share of a query is outside it)."""
    wall, cpu, statuses = [], [], set()
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        statuses.add(response.status_code)
    return wall, cpu, statuses


def figures(wall, cpu):
    return (
        f"p50 {statistics.median(wall):.1f} ms, p95 {percentile(wall, 0.95):.1f} ms "
        f"(CPU p50 {statistics.median(cpu):.1f} ms)"
    )


def measure(runs):
    """Inside the site's environment: print the figures."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from healthpress.api.keys import create_key
    from healthpress.articles.models import ArticlePage

    _, key = create_key("Benchmark partner")
    client = Client(headers={"X-API-Key": key})
    article = ArticlePage.objects.get(slug=CRAMPS_SLUG)
    url = f"/api/v1/articles/{article.pk}"
    total = ArticlePage.objects.live().count()

    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(20):  # imports, connections, Wagtail's site-root cache
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)
    wall, cpu, statuses = timed(client, url, runs)
    print(
        f"  article by id, uncached: {figures(wall, cpu)}, {query_count} queries "
        f"({runs} requests, {sorted(statuses)})",
        flush=True,
    )
    etag = client.get(url)["ETag"]
    wall, cpu, statuses = timed(client, url, runs, **{"If-None-Match": etag})
    print(f"  304, page cache off (built, then compared): {figures(wall, cpu)} {sorted(statuses)}")

    settings.PAGE_CACHE_SECONDS = 3600
    caches["pages"].clear()
    etag = client.get(url)["ETag"]
    for _ in range(20):
        client.get(url, headers={"If-None-Match": etag})
    wall, cpu, statuses = timed(client, url, runs, **{"If-None-Match": etag})
    print(f"  304 revalidation, page cache on: {figures(wall, cpu)} {sorted(statuses)}", flush=True)
    wall, cpu, statuses = timed(client, url, runs)
    print(f"  200 from the kept answer: {figures(wall, cpu)} {sorted(statuses)}")

    # The manifest, as a partner's first full sync (nothing kept yet), then once more: memory
    # after the second pass is what a process keeps once it has served the whole manifest.
    memory = {}
    for sync in (1, 2):
        caches["pages"].clear()
        seconds, cpu_seconds, pages, entries = manifest_pass(client, memory if sync == 1 else {})
        memory[f"pass {sync}"] = settled_rss_mb()
        print(
            f"  manifest, pass {sync}: {entries:,} of {total:,} live articles in {pages} pages "
            f"of {MANIFEST_PAGE}: {seconds:.1f} s ({seconds / pages * 1000:.0f} ms a page; "
            f"CPU {cpu_seconds:.1f} s)",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "  memory (resident, after a collection): "
        + ", ".join(f"{k} {v:.0f} MB" for k, v in memory.items())
        + f"; peak {peak:.0f} MB",
        flush=True,
    )


def manifest_pass(client, memory):
    """Follow the manifest from its first page to its last; note memory after pages 1 and 10."""
    next_url, pages, entries = f"/api/v1/manifest?limit={MANIFEST_PAGE}", 0, 0
    start, start_cpu = time.perf_counter(), time.process_time()
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content[:200]
        data = response.json()
        pages += 1
        entries += len(data["results"])
        next_url = None
        if data["next"]:
            parts = urlsplit(data["next"])
            next_url = f"{parts.path}?{parts.query}"
        if pages in (1, 10):
            memory[f"page {pages}"] = settled_rss_mb()
    return time.perf_counter() - start, time.process_time() - start_cpu, pages, entries


def run_stack(stack, articles, runs, redis_url):
    workdir = Path(tempfile.mkdtemp(prefix=f"hp-bench-api-{stack}-"))
    env = bench_pages.site_env(workdir, ALLOWED_HOSTS="127.0.0.1,testserver", API_RATE_LIMITS="off")
    try:
        if stack == "postgres":
            pg = ["-h", "127.0.0.1", "-U", "postgres"]
            subprocess.run(["dropdb", "--if-exists", *pg, PG_DATABASE], check=False)
            subprocess.run(["createdb", *pg, PG_DATABASE], check=True)
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
        if redis_url:
            env["REDIS_URL"] = redis_url
        print(f"\n{stack}{' + Redis' if redis_url else ''}: {articles:,} synthetic articles")
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "load_demo", "--no-admin"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        # The JSON-LD names the logo by its hashed static address: the manifest must exist.
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        inner = [sys.executable, __file__, "--inner"]
        subprocess.run(
            [*inner, "generate", "--articles", str(articles)], env=env, cwd=ROOT, check=True
        )
        subprocess.run([*inner, "measure", "--requests", str(runs)], env=env, cwd=ROOT, check=True)
    finally:
        if stack == "postgres":
            subprocess.run(
                ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", PG_DATABASE],
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--articles", type=int, default=100_000, help="synthetic articles (default: 100000)"
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="requests timed per figure (default: 200)"
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_BENCH_URL", ""),
        metavar="URL",
        help="Redis for the cache and page cache (default: none, local memory and files)",
    )
    parser.add_argument("--inner", choices=["generate", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner == "generate":
        generate(args.articles)
        return 0
    if args.inner == "measure":
        measure(args.requests)
        return 0
    for stack in ["sqlite", "postgres"] if args.stack == "both" else [args.stack]:
        check = [sys.executable, "-m", "healthpress.launch.dbcheck", PG_CHECK_URL]
        if stack == "postgres" and subprocess.run(check, cwd=ROOT, capture_output=True).returncode:
            print("\npostgres: skipped, no PostgreSQL at 127.0.0.1:5432")
            continue
        run_stack(stack, args.articles, args.requests, args.redis)
    return 0


if __name__ == "__main__":
    sys.exit(main())
