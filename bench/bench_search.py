"""Search relevance and latency on a real consumer-health benchmark (`make bench-search`).

Imports the MedQuAD corpus from ../shared/data (see its README) into a fresh database through the
project's own article code (healthpress.articles.content.save_article), indexes it with Wagtail's
database search backend, then runs every TREC 2017 LiveQA question through search_articles(),
exactly as the search page does. Prints, per query form, the top-3 hit rate and MRR@10 (relevant
= grade 3 or 4) beside the plain BM25 baseline, and the search latency p50/p95.

Each backend runs in a child process of its own (Django is set up once per process). Timings on
a shared 2-core machine are noisy: the latency pass is repeated (--repeat) and every pass printed.
The data is evaluation-only: it goes into a scratch database outside the repository, never into
the project's own database or demo content.
"""

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Beside the checkout; BENCH_SEARCH_DATA names it from elsewhere (e.g. a git worktree).
DATA = Path(os.environ.get("BENCH_SEARCH_DATA") or REPO.parent / "shared" / "data")
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/hp_search_bench"
DEFAULT_WORKDIR = Path("/tmp/healthpress-bench-search")
# From ../shared/data/baseline_bm25.txt: top-3 hit rate, MRR@10 over queries with a grade >= 3.
BASELINE = {
    "message": (0.295, 0.288),
    "subject+message": (0.423, 0.390),
    "paraphrase": (0.532, 0.469),
    "summary": (0.615, 0.540),
}
FORMS = {
    "message": lambda q: q["message"],
    "subject+message": lambda q: f"{q['subject']} {q['message']}",
    "paraphrase": lambda q: q.get("paraphrase"),
    "summary": lambda q: q["summary"],
}
SOURCE_TOPICS = {
    "GHR": "Genetic conditions",
    "GARD": "Rare diseases",
    "ADAM": "Medical encyclopedia",
    "NIDDK": "Diabetes, digestive and kidney diseases",
    "NINDS": "Brain and nerves",
    "MPlusHealthTopics": "Health topics",
    "NIHSeniorHealth": "Healthy ageing",
    "CancerGov": "Cancer",
    "NHLBI": "Heart, lungs and blood",
    "CDC": "Infections and public health",
    "MPlusDrugs": "Medicines",
    "MPlusHerbsSupplements": "Herbs and supplements",
}
IMPORT_BATCH = 200
DEFAULT_TIME_LIMIT = 1200.0  # seconds of import per backend
VARIANTS = {
    # name: SearchOptions fields; "default" is what the search page uses.
    "default": {},
    "no-stopwords-removal": {"drop_stopwords": False},
    "no-synonyms": {"use_synonyms": False},
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--backend",
        choices=["sqlite", "postgres", "both"],
        default="both",
        help="database(s) to measure (default: both; PostgreSQL is skipped if it does not answer)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=0,
        metavar="N",
        help="import only N articles (every judged-relevant article plus a fixed random sample) "
        "for a quick run; figures are then NOT comparable to the baseline (default: all)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help="latency passes over all queries (default: 3, each pass printed; max 10)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database built by an earlier run with the same --limit instead of "
        "importing again (for tuning; the default builds a fresh database)",
    )
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also measure the query-preprocessing variants (stopword removal and synonyms "
        "off) to show what each step is worth",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_SEARCH_PG_URL", DEFAULT_PG_URL),
        help=f"PostgreSQL database to (re)create for the run (default: {DEFAULT_PG_URL})",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help=f"scratch directory for the SQLite database and id map (default: {DEFAULT_WORKDIR})",
    )
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="skip creating pages: index the articles straight into Wagtail's search index with "
        "Wagtail's own indexer, and rank with the page's query handling and ranking (everything "
        "but the final page fetch and the log). Minutes instead of an hour for the whole corpus; "
        "relevance is the same ranking, latency leaves out the page fetch",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="S",
        help="stop importing after S seconds per backend (default: %(default).0f; 0: no limit). "
        "A run stopped early says so and measures the articles imported so far against plain "
        "BM25 recomputed on them. The import is the only step whose length depends on the "
        "machine: the default run (both backends) takes at most about 2 x (S + indexing + 2 "
        "minutes of searches)",
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also measure the hybrid search (SEARCH_SEMANTIC, issue 18): embed every imported "
        "article (timed), then report lexical-only and hybrid side by side per form, the memory "
        "the process gains from the model and the vectors, and the hybrid latency. Needs pages "
        "(not --index-only)",
    )
    parser.add_argument(
        "--scored-rows",
        type=int,
        metavar="N",
        help="the ranking's SCORED_ROWS (healthpress/search/ranking.py) instead of the app's: "
        "each word's document count here is about 100,000 / 17,825 times smaller than on a "
        "site of 100,000 such articles, so N = SCORED_ROWS x 17,825 / 100,000 ranks these "
        "articles as that site would",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.semantic and args.index_only:
        parser.error("--semantic needs pages: embeddings belong to articles, drop --index-only")
    args.repeat = max(1, min(args.repeat, 10))
    return args


def main():
    args = parse_args()
    if not (DATA / "medquad" / "articles.jsonl.gz").exists():
        print(f"bench_search: benchmark data not found in {DATA}; nothing measured.")
        return 0
    if args.child:
        return run_child(args)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "postgres" and not postgres_reachable(args.pg_url):
            print(f"== postgres: SKIPPED, no PostgreSQL answers at {args.pg_url}")
            continue
        command = [sys.executable, __file__, *sys.argv[1:], "--child", backend]
        subprocess.run(command, cwd=REPO, check=False)
    return 0


def postgres_reachable(url):
    result = subprocess.run(
        [sys.executable, "-m", "healthpress.launch.dbcheck", admin_url(url)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def admin_url(url):
    """The same server's "postgres" database, to drop and create the bench database from."""
    return url.rsplit("/", 1)[0] + "/postgres"


# --- the child process: one backend -------------------------------------------------------------


def run_child(args):
    mode = "index" if args.index_only else "pages"
    workdir = args.workdir / f"{args.child}-{args.limit or 'all'}-{mode}"
    if args.pg_url == DEFAULT_PG_URL:
        # One database per corpus size and mode, so two runs never drop each other's database.
        args.pg_url = f"{DEFAULT_PG_URL}_{args.limit or 'all'}_{mode}"
    workdir.mkdir(parents=True, exist_ok=True)
    id_map_file = workdir / "ids.json"
    reuse = args.reuse and id_map_file.exists()
    setup_django(args, workdir, fresh=not reuse)

    print(f"== {args.child}: {describe_database()}", flush=True)
    if args.scored_rows is not None:
        from healthpress.search import ranking

        print(f"ranking.SCORED_ROWS = {args.scored_rows} (the app's: {ranking.SCORED_ROWS})")
        ranking.SCORED_ROWS = args.scored_rows
    if reuse:
        ids = {int(k): v for k, v in json.loads(id_map_file.read_text()).items()}
        print(f"reusing the database built earlier ({len(ids)} articles)")
    else:
        articles = load_articles(args.limit)
        build = index_only if args.index_only else partial(import_corpus, limit=args.time_limit)
        ids = build(articles)
        id_map_file.write_text(json.dumps(ids))
        settle_database()
    if args.semantic:
        prepare_semantic(ids)
    queries = load_queries()
    if args.semantic:
        similarity_report(queries, ids)
    evaluate(queries, ids, args)
    return 0


def prepare_semantic(ids):
    """Embed the imported articles (timed, as rebuild_embeddings does: batches of 500; an
    unchanged article of a --reuse database is skipped) and hold the vectors as a web process
    does, printing the memory each step adds."""
    from healthpress.search import hybrid, semantic
    from healthpress.search.embeddings import update_embeddings
    from healthpress.search.service import article_queryset

    started = time.perf_counter()
    semantic.model()
    loaded = time.perf_counter()
    pks = sorted(ids)
    embedded = 0
    progress = Progress("embed", len(pks))
    for start in range(0, len(pks), 500):
        embedded += update_embeddings(pks[start : start + 500])
        progress.update(min(start + 500, len(pks)))
    done = time.perf_counter()
    rate = ""
    if embedded:
        rate = f", {(done - loaded) / embedded * 1000:.2f} ms/article with the database"
    print(
        f"semantic: model loaded in {loaded - started:.2f} s; "
        f"embedded {embedded} of {len(pks)} articles (the others unchanged) in "
        f"{done - loaded:.1f} s{rate}",
        flush=True,
    )
    hybrid.forget()
    started = time.perf_counter()
    held_ids, matrix = hybrid.vectors(article_queryset)
    print(
        f"semantic: {len(held_ids)} vectors held in {time.perf_counter() - started:.2f} s, "
        f"{matrix.nbytes / 2**20:.1f} MB of matrix",
        flush=True,
    )
    web_process_gain()


# A web process's view of the hybrid search: warmed by a word search (Django, the ORM and the
# search code loaded), then the first hybrid search loads the model and the vectors.
WEB_PROCESS = """
import django, json
django.setup()
from healthpress.search.service import SearchOptions, search_articles
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
search_articles("why do my legs cramp at night", log=False, options=SearchOptions(semantic=False))
before = rss()
search_articles("why do my legs cramp at night", log=False, options=SearchOptions(semantic=True))
print(json.dumps({"before": before, "after": rss()}))
"""


def web_process_gain():
    """The memory a fresh web process gains from the hybrid search (the model with the modules
    it imports, and the held vectors), measured in a process of its own: in this one, memory
    freed by the embedding above would be reused and hide the gain."""
    result = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        print(f"semantic: web process measurement failed:\n{result.stderr[-2000:]}")
        return
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"semantic: a web process gains {figures['after'] - figures['before']:.0f} MB "
        f"(model + vectors; {figures['before']:.0f} MB before, {figures['after']:.0f} after)",
        flush=True,
    )


# Questions no article of a health corpus answers: their nearest article by meaning should stay
# under the similarity floor, so that the no-results page shows.
OFF_TOPIC = (
    "recipe for lasagne",
    "train times from leeds to london",
    "how do I fix a flat bicycle tyre",
    "football results last saturday",
    "best laptop for students",
    "my car makes a noise when braking",
    "what is the capital of france",
    "zzzqqq xxyyzz",
)


def similarity_report(queries, ids):
    """What hybrid.MIN_SIMILARITY must let through and keep out: the cosine between each query
    (its words without filler, as the hybrid search embeds it) and its judged-relevant articles,
    the cosine of its 100th neighbour, and the best cosine of off-topic questions."""
    import numpy as np

    from healthpress.search import hybrid, semantic
    from healthpress.search.service import SearchOptions, article_queryset, query_terms

    held_ids, matrix = hybrid.vectors(article_queryset)
    row_of = {int(pk): n for n, pk in enumerate(held_ids)}
    pk_of = {aid: pk for pk, aid in ids.items()}

    def cosines(text):
        words = " ".join(query_terms(text, SearchOptions())[0].terms)
        return np.einsum("ij,j->i", matrix, semantic.embed([words])[0])

    relevant, hundredth = [], []
    for query in queries:
        wanted = [pk_of[a] for a, grade in query["relevant"].items() if grade >= 3 and a in pk_of]
        for get_text in FORMS.values():
            text = get_text(query)
            if not text or not wanted:
                continue
            scores = cosines(text)
            relevant += [float(scores[row_of[pk]]) for pk in wanted if pk in row_of]
            hundredth.append(float(np.sort(scores)[-hybrid.NEIGHBOURS]))
    off_topic = [float(cosines(text).max()) for text in OFF_TOPIC]
    rel = np.array(relevant)
    print(
        f"semantic: cosine of the judged-relevant articles (n={len(rel)}): "
        f"p5 {np.percentile(rel, 5):.2f}, p10 {np.percentile(rel, 10):.2f}, "
        f"median {np.median(rel):.2f}; below 0.2: {(rel < 0.2).mean():.1%}, "
        f"below 0.3: {(rel < 0.3).mean():.1%}; the {hybrid.NEIGHBOURS}th neighbour: median "
        f"{np.median(hundredth):.2f}; off-topic questions' best: "
        + ", ".join(f"{c:.2f}" for c in off_topic),
        flush=True,
    )


def settle_database():
    """What autovacuum does soon after a bulk load on a live site: fresh planner statistics, and
    the GIN indexes' pending lists merged. Without it PostgreSQL plans the first searches on a
    table it believes to be empty."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s", flush=True)


def setup_django(args, workdir, fresh):
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ["HEALTHPRESS_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "healthpress.settings.base"
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

    # Run tasks inline: the bench needs no worker. The search index and the page cache are
    # the project's own settings: save_article's bulk_import() indexes once at the end and
    # purges the page cache once (see import_corpus).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LOGGING = {"version": 1, "disable_existing_loggers": False}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def recreate_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(to_conninfo(admin_url(url)), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def to_conninfo(url):
    import dj_database_url

    c = dj_database_url.parse(url)
    parts = {"dbname": c["NAME"], "user": c["USER"], "host": c["HOST"], "port": c["PORT"]}
    parts["password"] = c["PASSWORD"]
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def describe_database():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (FTS5)"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]} (full-text search)"


def load_articles(limit):
    with gzip.open(DATA / "medquad" / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle]
    if not limit or limit >= len(articles):
        return articles
    judged = {aid for q in load_queries() for aid, grade in q["relevant"].items() if grade >= 3}
    keep = [a for a in articles if a["id"] in judged]
    others = [a for a in articles if a["id"] not in judged]
    random.Random(6).shuffle(others)
    keep += others[: max(0, limit - len(keep))]
    return keep


def load_queries():
    path = DATA / "liveqa" / "queries.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def article_content(article, question):
    """A MedQuAD answer as an article: first paragraph(s) the short answer, the rest the body."""
    from healthpress.articles.content import ArticleContent, paragraphs_to_html

    paragraphs = [p for p in article["answer"].split("\n\n") if p.strip()]
    short, rest = split_short_answer(paragraphs)
    body = [{"type": "paragraph", "value": paragraphs_to_html(rest)}] if rest else []
    return ArticleContent(question=question, short_answer=short, body=body)


def split_short_answer(paragraphs, limit=1200):
    """The short answer (at most `limit` characters, cut at a sentence or word) and the rest."""
    first, rest = paragraphs[0], paragraphs[1:]
    if len(first) <= limit:
        return first, rest
    head = first[:limit]
    cut = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    cut = cut + 1 if cut > limit // 3 else head.rfind(" ")
    if cut <= 0:
        cut = limit
    return first[:cut].strip(), [first[cut:].strip(), *rest]


def import_corpus(articles, limit):
    """Save every article through save_article, published, inside bulk_import() (the importer's
    code path for many articles: indexed and purged once at the end). Stops after `time_limit`
    seconds (`limit`, 0: never). Returns {page pk: MedQuAD id} for the articles imported."""
    from django.db import transaction

    from healthpress.articles.content import bulk_import, same_question, save_article
    from healthpress.core.site import get_or_create_topic

    topics = {}
    seen = {}
    ids = {}
    started = time.perf_counter()
    progress = Progress("import", len(articles))
    with bulk_import():
        # Batches of articles share a transaction: one commit (and fsync) per batch.
        for batch_start in range(0, len(articles), IMPORT_BATCH):
            if limit and time.perf_counter() - started > limit:
                break
            with transaction.atomic():
                for article in articles[batch_start : batch_start + IMPORT_BATCH]:
                    source = article["source"]
                    if source not in topics:
                        topics[source] = get_or_create_topic(SOURCE_TOPICS.get(source, source))[0]
                    question = unique_question(article, seen, same_question)
                    page, created = save_article(
                        article_content(article, question), topic=topics[source], publish=True
                    )
                    assert created, question
                    ids[page.pk] = article["id"]
            progress.update(len(ids))
        saved_at = time.perf_counter()
    import_seconds = saved_at - started
    index_seconds = time.perf_counter() - saved_at
    print(
        f"imported {len(ids)} articles in {import_seconds:.0f} s "
        f"({len(ids) / max(import_seconds, 0.001):.0f}/s) through save_article; indexed them "
        f"and purged the page cache in {index_seconds:.0f} s",
        flush=True,
    )
    if len(ids) < len(articles):
        print(
            f"STOPPED by --time-limit {limit:.0f} s after {len(ids)} of {len(articles)} "
            "articles: the figures below are over these articles only, and the baseline column "
            "is plain BM25 recomputed on them",
            flush=True,
        )
    return ids


class Progress:
    """A progress line on stderr every 10 % (no bar: the log stays readable)."""

    def __init__(self, what, total):
        self.what, self.total, self.next, self.started = what, total, 0.1, time.perf_counter()

    def update(self, done):
        if self.total and done / self.total >= self.next:
            rate = done / max(time.perf_counter() - self.started, 0.001)
            print(f"{self.what}: {done}/{self.total} ({rate:.0f}/s)", file=sys.stderr, flush=True)
            while done / self.total >= self.next:
                self.next += 0.1


def index_only(articles):
    """Index unsaved ArticlePage objects (numbered 1..n) in the public search's own index, as
    its backend extracts their text; {pk: id}. There are no pages for the documents to point
    at, so the foreign key is not enforced while they are written (bench only)."""
    from django.db import connection

    from healthpress.articles.models import ArticlePage
    from healthpress.search.documents import document_text, write_documents

    seen, ids, pages = {}, {}, []
    started = time.perf_counter()
    for n, article in enumerate(articles, 1):
        question = unique_question(article, seen, lambda a, b: a == b)
        content = article_content(article, question)
        page = ArticlePage(
            pk=n, title=question, short_answer=content.short_answer, body=content.body
        )
        pages.append(page)
        ids[n] = article["id"]
    progress = Progress("index", len(pages))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
        for start in range(0, len(pages), 500):
            chunk = pages[start : start + 500]
            write_documents({page.pk: document_text(page) for page in chunk})
            progress.update(min(start + 500, len(pages)))
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")
        else:
            cursor.execute("SET session_replication_role = DEFAULT")
    seconds = time.perf_counter() - started
    print(f"indexed {len(pages)} articles (no pages created) in {seconds:.0f} s", flush=True)
    return ids


def unique_question(article, seen, same_question):
    """MedQuAD repeats questions across collections ("What is (are) Stroke ?"); save_article
    treats the same question as the same article, so a repeat names its collection."""
    key = " ".join(article["question"].casefold().split()).rstrip(" ?")
    count = seen.get(key, 0)
    seen[key] = count + 1
    if count == 0:
        return article["question"]
    suffix = f" ({article['source']})" if count == 1 else f" ({article['source']} {count})"
    return article["question"][: 255 - len(suffix)] + suffix


def bm25_baseline(articles, queries):
    """The baseline of ../shared/data/baseline_bm25.py (rank_bm25's BM25Okapi, k1=1.5, b=0.75,
    lowercase [a-z0-9]+ tokens) on the articles imported here, so a --limit run has a fair
    comparison too. Returns {form: (top-3, MRR@10)}."""
    import math
    import re
    from collections import Counter, defaultdict

    def tokens(text):
        return re.findall(r"[a-z0-9]+", (text or "").lower())

    k1, b, eps = 1.5, 0.75, 0.25
    postings, lengths = defaultdict(list), []
    for n, article in enumerate(articles):
        counts = Counter(tokens(article["question"] + " " + article["answer"]))
        lengths.append(sum(counts.values()))
        for term, count in counts.items():
            postings[term].append((n, count))
    total, avgdl = len(articles), sum(lengths) / len(articles)
    idf = {t: math.log(total - len(p) + 0.5) - math.log(len(p) + 0.5) for t, p in postings.items()}
    floor = eps * sum(idf.values()) / len(idf)
    idf = {t: (v if v >= 0 else floor) for t, v in idf.items()}
    figures = {}
    for form, get_text in FORMS.items():
        hits, rr = [], []
        for query in queries:
            text = get_text(query)
            relevant = {aid for aid, grade in query["relevant"].items() if grade >= 3}
            if not text or not relevant:
                continue
            scores = defaultdict(float)
            for term in tokens(text):
                for n, f in postings.get(term, ()):
                    norm = k1 * (1 - b + b * lengths[n] / avgdl)
                    scores[n] += idf[term] * f * (k1 + 1) / (f + norm)
            top = sorted(scores, key=lambda n: (-scores[n], n))[:10]
            ranked = [articles[n]["id"] for n in top]
            rank = next((r for r, aid in enumerate(ranked, 1) if aid in relevant), None)
            hits.append(rank is not None and rank <= 3)
            rr.append(1 / rank if rank else 0.0)
        figures[form] = (sum(hits) / len(hits), sum(rr) / len(rr))
    return figures


def top_ids(text, options, index_only):
    """The top 10 article pks for `text`, as the search page ranks them."""
    from healthpress.articles.models import ArticlePage
    from healthpress.search.ranking import ranked_ids
    from healthpress.search.service import query_terms, search_articles

    if index_only:
        return ranked_ids(ArticlePage, query_terms(text, options)[1], 10)
    return [
        page.pk for page in search_articles(text, limit=10, log=False, options=options).articles
    ]


def evaluate(queries, ids, args):
    from healthpress.search.models import DocumentCount
    from healthpress.search.service import SearchOptions, search_articles

    variants = VARIANTS if args.variants else {"default": {}}
    if args.semantic:
        variants = {**variants, "hybrid (SEARCH_SEMANTIC)": {"semantic": True}}
    baseline = BASELINE
    articles = load_articles(args.limit)
    if args.limit or len(ids) < len(articles):
        imported = set(ids.values())
        baseline = bm25_baseline([a for a in articles if a["id"] in imported], queries)
        print(
            f"\n({len(ids)} articles, not the whole corpus: the baseline column is plain BM25 "
            "recomputed on these articles)"
        )
    figures = {}
    for name, fields in variants.items():
        options = SearchOptions(**{"semantic": False, **fields})
        hybrid = options.semantic
        print(f"\n-- {args.child}, query handling: {name}")
        beside = "lexical top-3 / MRR@10" if hybrid else "baseline top-3 / MRR@10"
        print(f"{'form':16} {'n':>3}  {'top-3':>6} {'MRR@10':>7}   {beside}")
        for form, get_text in FORMS.items():
            hits, rr = [], []
            for query in queries:
                text = get_text(query)
                relevant = {aid for aid, grade in query["relevant"].items() if grade >= 3}
                if not text or not relevant:
                    continue
                ranked = [ids.get(pk) for pk in top_ids(text, options, args.index_only)]
                rank = next((r for r, aid in enumerate(ranked, 1) if aid in relevant), None)
                hits.append(rank is not None and rank <= 3)
                rr.append(1 / rank if rank else 0.0)
            top3, mrr = sum(hits) / len(hits), sum(rr) / len(rr)
            figures[name, form] = (top3, mrr)
            # The hybrid row is set beside the lexical ranking (the "default" variant).
            base = figures["default", form] if hybrid else baseline[form]
            print(
                f"{form:16} {len(hits):>3}  {top3:>6.3f} {mrr:>7.3f}   "
                f"{base[0]:.3f} / {base[1]:.3f}"
                f"  ({top3 - base[0]:+.3f} / {mrr - base[1]:+.3f})"
            )

    what = (
        "query handling + ranked_ids() (index-only: no page fetch, no log)"
        if args.index_only
        else "search_articles() as the page calls it (logging on)"
    )
    print(f"\n-- {args.child}: latency of {what}")
    texts = [get(q) for q in queries for get in FORMS.values() if get(q)]
    modes = [False, True] if args.semantic else [False]
    for run, semantic in ((run, mode) for mode in modes for run in range(1, args.repeat + 1)):
        note = ""
        if run == 1:
            # The first pass starts with no stored term counts, as after any change to the
            # index: each term is counted by the first search that needs it.
            DocumentCount.objects.all().delete()
            note = "  (term counts not cached at the start)"
        timings = []
        for text in texts:
            started = time.perf_counter()
            if args.index_only:
                top_ids(text, SearchOptions(), True)
            else:
                search_articles(text, limit=10, options=SearchOptions(semantic=semantic))
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(round(0.95 * (len(timings) - 1)))]
        print(
            f"{'hybrid ' if semantic else ''}pass {run}: {len(timings)} searches  "
            f"p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {timings[-1]:.1f} ms{note}"
        )


if __name__ == "__main__":
    sys.exit(main())
