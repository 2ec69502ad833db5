"""A site of 100,000 articles: import, browse, search, sitemaps, admin (`make bench-scale`).

    .venv/bin/python bench/bench_scale.py [--count N] [--backend sqlite|postgres|both]
                                          [--pg-url URL] [--rebuild] [--samples N]
                                          [--queries N] [--search-only] [--only admin]
                                          [--tags one|mixed]

Builds the site once per backend and count from the MedQuAD corpus in ../shared/data (the
search benchmark's data, see its README): its answers repeated with a variation of the question
per round ("... in children", "... in older adults", ...) until there are --count articles, in 4
topics (a quarter of the articles each), by 10 authors, each with one of 10 shared tags (so at
100,000 one tag and one author have 10,000 articles). `--tags mixed` builds a second site beside
it (its own directory or database, so the one-tag site stays reusable) whose articles have 1 to
4 of the 10 tags, a quarter each, chosen at random but the same on every build: one tag then has
25,000 articles, and an article with several tags has 11,000 to 18,000 others in its topic that
share one. Related questions take a different path by the number of tags
(healthpress/articles/related.py), so the mixed site also prints the article page's p50 for
--samples articles of each number of tags. The import goes through the bulk service
(healthpress/articles/bulk_import.py), published, and is timed: that is the import figure; what
it queues for the task worker (reading levels, Wagtail's reference index) is run after it, as one
worker would, and timed apart. Then every article is embedded for the hybrid search through
`manage.py rebuild_embeddings` (timed on its own line: the model's cost, not the import's). The
site, its embeddings and their shared vector files are kept under var/bench-scale/ (SQLite) or
in its own PostgreSQL database and reused by later runs with the same count (a site built
before the embeddings were part of it gets them on its next run); --rebuild starts again.

Then it prints the figures of issue 27's budget table, every page through Django's test client
in this process with the page cache off (uncached): article, topic and author pages (p50 over
--samples pages), search (`search_articles()` as the search page calls it, p50 / p95 over
--queries questions taken across the corpus: the word search, then the hybrid search; the
ranking cache is off, so every search ranks; a first word pass, printed, stores the terms'
document counts, as the first searches after a new site's start do; then the
word search after one article changed, and how many queries' first 20 results differ from
those of fresh counts: measure_search), each sitemap
file, and in the admin as a superuser the explorer of a topic (a quarter of the articles), the
admin search, the listings and the reports. Figures are printed, never asserted. The cached
article ÷ nginx ratio is bench/bench_pages.py's harness (wrk and nginx): the page cache serves
stored bytes whatever the size of the site, so it is not repeated here.
"""

import argparse
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The search benchmark's data (../shared/data beside the checkout); BENCH_DATA for another place.
DATA = Path(os.environ.get("BENCH_DATA", REPO.parent / "shared" / "data"))
CORPUS = DATA / "medquad" / "articles.jsonl.gz"
WORKDIR = REPO / "var" / "bench-scale"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/hp_scale_bench"
TOPICS = [
    "Conditions and diseases",
    "Genetics and rare conditions",
    "Medicines and treatments",
    "Healthy living",
]
AUTHORS = 10
TAGS = 10
VARIATIONS = [
    "",
    " in children",
    " in older adults",
    " during pregnancy",
    " for carers",
    " after surgery",
    " in athletes",
    " at work",
    " while travelling",
]
ADMIN_LISTINGS = {
    "comments": "comments_admin:index",
    "questions": "questions_admin:index",
    "subscribers": "wagtailsnippets_newsletter_subscriber:list",
}
ADMIN_REPORTS = {"reviews due": "reviews_due", "article health": "article_health"}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="articles (default 100000)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--rebuild", action="store_true", help="build the site again")
    parser.add_argument("--samples", type=int, default=30, help="requests per page kind")
    parser.add_argument(
        "--queries", type=int, default=100, help="corpus questions searched (default 100)"
    )
    parser.add_argument(
        "--search-only", action="store_true", help="print the build and search figures only"
    )
    parser.add_argument(
        "--only", choices=["admin"], help="admin: the sitemap and admin figures alone"
    )
    parser.add_argument(
        "--tags",
        choices=["one", "mixed"],
        default="one",
        help="one tag per article (default), or 1 to 4 (a site of its own)",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main():
    args = parse_args()
    if not CORPUS.exists():
        print(f"bench_scale: the MedQuAD corpus is not in {DATA}; nothing measured.")
        return 0
    if args.child:
        return run_child(args)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "postgres" and not reachable(admin_url(args.pg_url)):
            print(f"== postgres: SKIPPED, no PostgreSQL answers at {args.pg_url}")
            continue
        command = [sys.executable, __file__, *sys.argv[1:], "--child", backend]
        subprocess.run(command, cwd=REPO, check=False)
    return 0


def reachable(url):
    command = [sys.executable, "-m", "healthpress.launch.dbcheck", url]
    return subprocess.run(command, cwd=REPO, capture_output=True, check=False).returncode == 0


def admin_url(url):
    return url.rsplit("/", 1)[0] + "/postgres"


# --- the child process: one backend --------------------------------------------------------------


def run_child(args):
    site = f"{args.count}" if args.tags == "one" else f"{args.count}_{args.tags}"
    workdir = WORKDIR / f"{args.child}-{site}"
    workdir.mkdir(parents=True, exist_ok=True)
    built_file = workdir / "built.json"
    if args.child == "postgres":
        args.pg_url = f"{args.pg_url}_{site}"
    fresh = args.rebuild or not built_file.exists()
    setup_django(args, workdir, fresh)
    tags = "" if args.tags == "one" else ", 1 to 4 tags each"
    print(f"== {args.child}: {describe_database()}, {args.count:,} articles{tags}", flush=True)
    if fresh:
        built = build_site(args.count, args.tags)
        built_file.write_text(json.dumps(built))
    else:
        built = json.loads(built_file.read_text())
        print(f"reusing the site built earlier ({built['built_on']})")
    rate = built["articles"] / built["seconds"]
    print(
        f"bulk import: {built['articles']:,} articles in {built['seconds']:.0f} s = "
        f"{rate:.0f} articles/s (the run that built the site)"
    )
    if built.get("tasks"):
        print(
            f"then what it queued (reading levels, reference index), run as one worker would: "
            f"{built['tasks']} tasks in {built['task_seconds']:.0f} s = "
            f"{built['articles'] / built['task_seconds']:.0f} articles/s"
        )
    embed_site(built, built_file)
    if args.child == "postgres":
        analyze()
    if args.search_only:
        print("-- search, uncached (budget p95: SQLite 50 ms, PostgreSQL 80 ms)")
        measure_search(args)
    else:
        measure(args)
    return 0


def setup_django(args, workdir, fresh):
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ["HEALTHPRESS_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "healthpress.settings.base"
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # every figure here is an uncached render
    os.environ.pop("REDIS_URL", None)
    if args.child == "sqlite":
        db_file = workdir / "bench.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    else:
        os.environ["DATABASE_URL"] = args.pg_url
        if fresh:
            recreate_postgres(args.pg_url)
    sys.path.insert(0, str(REPO))

    import django
    from django.conf import settings

    # Tasks kept in memory, no worker: what the import queues (the reading levels) is run after
    # the import's timing and timed on its own (build_site), as a worker would run it. Hybrid
    # search is off while the site is built, so the import queues no embeddings: they are
    # computed after it by rebuild_embeddings (embed_site), the model's cost timed apart.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SEARCH_SEMANTIC = False
    settings.SEARCH_CACHE_SECONDS = 0  # no ranking kept between searches: each one ranks
    settings.ALLOWED_HOSTS = ["*"]
    settings.COMMENTS_RATE_LIMITS = {}
    settings.LOGGING = {"version": 1, "disable_existing_loggers": False}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def recreate_postgres(url):
    import dj_database_url
    import psycopg

    name = url.rsplit("/", 1)[1]
    c = dj_database_url.parse(admin_url(url))
    conninfo = {"dbname": c["NAME"], "user": c["USER"], "host": c["HOST"], "port": c["PORT"]}
    conninfo = " ".join(f"{k}={v}" for k, v in conninfo.items() if v)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def describe_database():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- building the site ---------------------------------------------------------------------------


def corpus():
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def article_tags(made, tags):
    """The tags of the `made`th article: one of the TAGS in turn, or (mixed) 1 to 4 of them, a
    quarter of the articles each, whatever their topic (made % len(TOPICS)) and the same on every
    build."""
    if tags == "one":
        return [f"topic-{made % TAGS}"]
    how_many = 1 + made // len(TOPICS) % 4
    return [f"topic-{n}" for n in sorted(random.Random(made).sample(range(TAGS), how_many))]


def article_items(count, authors, tags="one"):
    """BulkArticle items for `count` articles, round after round over the corpus, each round's
    questions varied so that every question (and slug) is new."""
    from healthpress.articles.bulk_import import BulkArticle
    from healthpress.articles.content import ArticleContent, paragraphs_to_html, question_slug

    articles = corpus()
    seen = set()
    made = 0
    for round_number in range(10_000):
        variation = VARIATIONS[round_number % len(VARIATIONS)]
        suffix = f" (part {round_number // len(VARIATIONS) + 1})" if round_number >= 9 else ""
        for article in articles:
            base = article["question"].strip().rstrip("?").strip()[:200]
            question = f"{base}{variation}{suffix}?"
            slug = question_slug(question)
            if slug in seen:
                continue
            seen.add(slug)
            paragraphs = [p for p in article["answer"].split("\n\n") if p.strip()]
            short, rest = split_short_answer(paragraphs)
            body = [{"type": "paragraph", "value": paragraphs_to_html(rest)}] if rest else []
            content = ArticleContent(
                question=question,
                short_answer=short,
                body=body,
                tags=article_tags(made, tags),
            )
            yield made % len(TOPICS), BulkArticle(content, author=authors[made % len(authors)])
            made += 1
            if made == count:
                return


def split_short_answer(paragraphs, limit=1200):
    first, rest = paragraphs[0], paragraphs[1:]
    if len(first) <= limit:
        return first, rest
    cut = first[:limit].rfind(" ")
    return first[:cut].strip(), [first[cut:].strip(), *rest]


def build_site(count, tags="one"):
    from django.db import connection
    from django.utils import timezone

    from healthpress.articles.bulk_import import import_articles_in_bulk
    from healthpress.core.site import ensure_home_page, get_or_create_topic
    from healthpress.people.models import Person

    ensure_home_page()
    topics = [get_or_create_topic(name)[0] for name in TOPICS]
    authors = [
        Person.objects.get_or_create(name=f"Bench Author {n}", defaults={"credentials": "MD"})[0]
        for n in range(AUTHORS)
    ]
    per_topic = [[] for _ in topics]
    for topic_number, item in article_items(count, authors, tags):
        per_topic[topic_number].append(item)
    done, last_print = 0, time.perf_counter()
    started = time.perf_counter()

    def progress(n):
        nonlocal done, last_print
        done += n
        if time.perf_counter() - last_print > 30 or done == count:
            rate = done / (time.perf_counter() - started)
            print(f"import: {done:,}/{count:,} ({rate:.0f}/s)", file=sys.stderr, flush=True)
            last_print = time.perf_counter()

    for topic, items in zip(topics, per_topic, strict=True):
        import_articles_in_bulk(items, topic, publish=True, via="bench_scale", progress=progress)
    seconds = time.perf_counter() - started
    queued, task_seconds = run_queued_tasks()
    add_admin_rows(topics)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load on a live site (see bench_search).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # SQLite gets no ANALYZE: a site's SQLite has none either, and with its statistics SQLite
    # plans the related-questions query's view-restriction check as a scan of every page per
    # article (measured: 9.8 s instead of 25 ms per article page at 5,000 articles).
    return {
        "articles": done,
        "seconds": seconds,
        "tasks": queued,
        "task_seconds": task_seconds,
        "built_on": timezone.now().isoformat(),
    }


def run_queued_tasks():
    """Run what the import queued (the worker's share: reading levels, the reference index), one
    after the other as one worker would; returns (tasks run, seconds)."""
    from django_tasks import default_task_backend

    results = list(default_task_backend.results)
    default_task_backend.clear()
    started = time.perf_counter()
    for result in results:
        result.task.call(*result.args, **result.kwargs)
    return len(results), time.perf_counter() - started


def add_admin_rows(topics):
    """A comment, a reader's question and a subscriber per 10 articles: the admin listings'
    rows."""
    from healthpress.articles.models import ArticlePage
    from healthpress.comments.models import Comment
    from healthpress.newsletter.models import Subscriber
    from healthpress.questions.models import Question

    ids = list(ArticlePage.objects.values_list("pk", flat=True)[::10])
    Comment.objects.bulk_create(
        (Comment(article_id=pk, name=f"Reader {pk}", body="Thank you.") for pk in ids),
        batch_size=1000,
    )
    Question.objects.bulk_create(
        (
            Question(question=f"Question {n}?", topic=topics[n % len(topics)], consent_version="1")
            for n in range(len(ids))
        ),
        batch_size=1000,
    )
    Subscriber.objects.bulk_create(
        (Subscriber(email=f"reader{n}@example.org") for n in range(len(ids))), batch_size=1000
    )


def analyze():
    """PostgreSQL plans by its statistics, which autovacuum keeps in production; a site just
    built (or a server with autovacuum off) has none, and planned without them the listings
    measured faster than they run in production (issue 27: a topic page 44 -> 62 ms)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ANALYZE (statistics as autovacuum keeps them): {time.perf_counter() - started:.1f} s")


def embed_site(built, built_file):
    """Every live article's embedding and the shared vector files (under the site's var/), through
    `manage.py rebuild_embeddings`, once per site: timed, printed and kept in built.json. A
    later run finds them stored and embeds nothing again."""
    from django.conf import settings
    from django.core.management import call_command

    from healthpress.search.models import ArticleEmbedding

    settings.SEARCH_SEMANTIC = True
    if not built.get("embeddings") or not ArticleEmbedding.objects.exists():
        started = time.perf_counter()
        call_command("rebuild_embeddings")
        built["embeddings"] = ArticleEmbedding.objects.count()
        built["embedding_seconds"] = time.perf_counter() - started
        built_file.write_text(json.dumps(built))
        when = "this run"
    else:
        when = "an earlier run"
    seconds = built["embedding_seconds"]
    print(
        f"embeddings (rebuild_embeddings, {when}): {built['embeddings']:,} articles in "
        f"{seconds:.0f} s = {built['embeddings'] / seconds:.0f} articles/s"
    )


# --- measuring -----------------------------------------------------------------------------------


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return elapsed


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def line(name, values, budget):
    p50, p95 = statistics.median(values), percentile(values, 0.95)
    print(f"{name:<38} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   n={len(values):<4} {budget}")


def search_queries(count):
    """`count` questions spread over the whole corpus (every source, short and long), as a
    reader would type them."""
    articles = corpus()
    step = max(1, len(articles) // count)
    return [a["question"].strip().rstrip("?").strip() for a in articles[::step][:count]]


def measure_search(args):
    """search_articles() as the search page calls it (no log row): the word search, then the
    hybrid search, over the same questions. Between them, the word search after one article
    changed: once for the whole pass (the first searches after a publish), then once before
    each search (a site where every search follows a change), and whether the first
    EXACT_DEPTH results with the counts kept then are those of fresh counts."""
    from healthpress.search.service import SearchOptions, search_articles

    def search_pass(queries, semantic, before=None):
        options, times = SearchOptions(semantic=semantic), []
        for query in queries:
            if before:
                before()
            started = time.perf_counter()
            search_articles(query, log=False, options=options)
            times.append((time.perf_counter() - started) * 1000)
        return times

    queries = search_queries(args.queries)
    first = search_pass(queries, semantic=False)
    line("word search, first pass", first, "(counts the words not counted since the last change)")
    line("word search", search_pass(queries, semantic=False), "")
    change = one_document_changed()
    change()
    line("word search after one article changed", search_pass(queries, semantic=False), "")
    line("word search, each after one change", search_pass(queries, False, change), "")
    compare_with_fresh_counts(queries)
    search_pass(queries, semantic=False)  # the counts stored again, as before the check
    search_pass(queries[:1], semantic=True)  # loads the model, maps the vectors
    line("hybrid search (SEARCH_SEMANTIC)", search_pass(queries, semantic=True), "")


def one_document_changed():
    """A function that writes one article's search document again, as its publish does (same
    words: the site stays as built, but the index counts one more change)."""
    from healthpress.search.documents import write_documents
    from healthpress.search.models import PublicDocument

    documents = PublicDocument.objects.order_by("pk").values_list("article_id", "title", "body")
    article, title, body = documents[len(documents) // 2]
    return lambda: write_documents({article: (title, body)})


def compare_with_fresh_counts(queries):
    """How many queries' first EXACT_DEPTH word-search results differ from those of fresh
    counts: with the counts as kept now, and with every kept count moved by the most the rule
    of search/counts.py allows (1/100 of it, up or down at random: never the case in this run,
    whose changes rewrite the same words)."""
    from healthpress.articles.models import ArticlePage
    from healthpress.search.counts import forget
    from healthpress.search.models import DocumentCount
    from healthpress.search.ranking import EXACT_DEPTH, ranked_ids
    from healthpress.search.service import MAX_RESULTS, query_terms

    terms = [query_terms(query)[1] for query in queries]

    def ranked():
        return [ranked_ids(ArticlePage, t, MAX_RESULTS)[:EXACT_DEPTH] for t in terms]

    kept = ranked()
    stored = list(DocumentCount.objects.values_list("pk", "documents"))
    forget()
    fresh = ranked()
    rng = random.Random(27)
    for pk, documents in stored:
        drift = documents // 100 * rng.choice((-1, 1))
        DocumentCount.objects.filter(pk=pk).update(documents=max(documents + drift, 0))
    drifted = ranked()
    differ = sum(a != b for a, b in zip(kept, fresh, strict=True))
    differ_drifted = sum(a != b for a, b in zip(drifted, fresh, strict=True))
    print(
        f"first {EXACT_DEPTH} results unlike fresh counts: {differ} of {len(queries)} queries "
        f"(counts as kept), {differ_drifted} (every count moved by 1/100 of it)"
    )
    forget()


def measure(args):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from healthpress.articles.models import ArticlePage
    from healthpress.core.models import TopicPage
    from healthpress.people.models import Person

    rng = random.Random(27)
    client = Client()
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    sample = [ArticlePage.objects.get(pk=pk).url for pk in rng.sample(ids, args.samples)]
    topics = list(TopicPage.objects.order_by("pk"))
    if args.only == "admin":
        return measure_admin(client, topics)
    authors = list(Person.objects.filter(name__startswith="Bench Author"))
    per_page = settings.ARTICLES_PER_PAGE
    pages = max(1, len(ids) // len(topics) // per_page)
    topic_urls = [
        f"{t.url}?page={n}" if n > 1 else t.url
        for t in topics
        for n in {1, 2, pages // 2 or 1, pages}
    ]
    author_urls = [a.get_absolute_url() for a in authors]
    for url in sample[:3] + topic_urls[:2] + author_urls[:2]:
        client.get(url)  # warm: per-process caches, the first template loads

    print("-- reader pages, uncached (budget p50: SQLite 25 ms, PostgreSQL 30 ms)")
    line("article page", [timed(client, url) for url in sample], "")
    if args.tags == "mixed":
        for tags, urls in samples_by_tag_count(rng, args.samples).items():
            line(
                f"  articles with {tags} tag{'s' if tags > 1 else ''}",
                [timed(client, u) for u in urls],
                "",
            )
    line("topic page (first, middle, last pages)", [timed(client, u) for u in topic_urls], "")
    line("author page", [timed(client, url) for url in author_urls * 2], "")
    print("-- other reader pages, uncached (no budget of their own; each read the whole site once)")
    others = {
        "home page": "/",
        "authors' index": reverse("people:index"),
        "a topic's feed": reverse("feeds:topic_rss", args=[topics[0].slug]),
        "answered questions": reverse("questions:answered"),
        "ask form": reverse("questions:ask"),
    }
    for name, url in others.items():
        timed(client, url)
        line(name, [timed(client, url) for _ in range(5)], "")

    print("-- search, uncached (budget p95: SQLite 50 ms, PostgreSQL 80 ms)")
    measure_search(args)
    measure_admin(client, topics)


def samples_by_tag_count(rng, samples):
    """`samples` article addresses for each number of tags an article has."""
    from django.db.models import Count

    from healthpress.articles.models import ArticlePage, ArticlePageTag

    by_count = {}
    counted = ArticlePageTag.objects.values("content_object_id").annotate(tags=Count("pk"))
    for row in counted.order_by("content_object_id"):
        by_count.setdefault(row["tags"], []).append(row["content_object_id"])
    return {
        tags: [ArticlePage.objects.get(pk=pk).url for pk in rng.sample(ids, samples)]
        for tags, ids in sorted(by_count.items())
    }


def measure_admin(client, topics):
    """The sitemap files and the admin pages (`--only admin`: these alone)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    print("-- sitemap files, uncached (budget: 1 s each)")
    index = client.get("/sitemap.xml").content.decode()
    files = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>(.*?)</loc>", index)]
    index_ms = timed(client, "/sitemap.xml")
    file_times = [timed(client, url) for url in files]
    print(f"{'sitemap index':<38} {index_ms:7.1f} ms   ({len(files)} files)")
    line("each sitemap file", file_times, f"slowest {max(file_times):.0f} ms")

    print("-- admin as a superuser (budget: 1 s)")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    admin = Client()
    admin.force_login(user)
    admin_pages = {
        f"explorer of a topic ({topics[0].numchild:,} articles)": reverse(
            "wagtailadmin_explore", args=[topics[0].pk]
        ),
        "admin search": reverse("wagtailadmin_pages:search") + "?q=diabetes",
        "dashboard": reverse("wagtailadmin_home"),
        **{f"listing: {k}": reverse(v) for k, v in ADMIN_LISTINGS.items()},
        **{f"report: {k}": reverse(v) for k, v in ADMIN_REPORTS.items()},
    }
    for name, url in admin_pages.items():
        timed(admin, url)
        line(name, [timed(admin, url) for _ in range(3)], "")
    print(
        "-- cached article ÷ nginx: bench/bench_pages.py (the page cache's bytes do not depend "
        "on the site's size)"
    )


if __name__ == "__main__":
    sys.exit(main())
