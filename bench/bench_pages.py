"""Page-serving benchmark: uncached render, the app's page cache, and nginx serving the same bytes.

    .venv/bin/python bench/bench_pages.py [--stack sqlite|postgres|both] [--servers a,b]
                                          [--only pages|churn]

wrk (Debian package) at 64 connections for 10 s against the demo cramps article (its HTML, with
four pictures: the lead image, a figure and two related articles' cards), loopback only, every
server started and stopped by this script. Two scenarios, both run by default:

- pages: requests/s, p50, p99 and errors for (a) the uncached render, (b) the page cache, (c) nginx
  serving the page as a static file, and the ratios b/c and a/c;
- churn (issue 13): the page cache while an editor re-publishes the topic above the article once a
  second (each publish of a topic purges the whole cache). Besides req/s, p50, p99 and errors it
  counts purges (publishes) and renders (responses with `X-Page-Cache: miss`, counted by a wrk Lua
  script) and prints renders per purge next to the number of server processes. Targets: p99 under
  100 ms, no errors, renders per purge at most the number of processes (one render per process,
  the other readers of that process waiting for it).

Figures are printed, never asserted: a benchmark does not fail on timing.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ARTICLE = (
    "/muscles-bones-and-joints/is-cramping-caused-by-excessive-calcium-or-insufficient-calcium/"
)
BUSY = "/muscles-bones-and-joints/why-does-my-lower-back-hurt-after-sitting-all-day/"
TOPIC = "muscles-bones-and-joints"
WORKERS = 2  # server processes, for every server and scenario
SCENARIOS = ("pages", "churn")
# The churn scenario's editor: a process of its own with the server's settings and environment.
# It publishes the topic once to warm itself up (its first publish costs several times the
# others), reports "ready", waits for a line on stdin, then publishes the topic once a second (at
# 0.5 s, 1.5 s, ... into the run) for argv[1] seconds and prints what it did as JSON. A publish
# that runs over its second makes it skip the ticks it missed, never catch up.
PUBLISHER = """
import json, sys, time
import django
django.setup()
from healthpress.core.models import TopicPage
seconds, slug = float(sys.argv[1]), sys.argv[2]
TopicPage.objects.get(slug=slug).save_revision().publish()
print("ready", flush=True)
if not sys.stdin.readline():
    sys.exit(0)  # the benchmark went away before the run
start = time.monotonic()
durations, skipped, tick = [], 0, 0
while (due := start + 0.5 + tick) < start + seconds:
    tick += 1
    now = time.monotonic()
    if now > due + 0.5:
        skipped += 1
        continue
    time.sleep(max(0.0, due - now))
    began = time.perf_counter()
    TopicPage.objects.get(slug=slug).save_revision().publish()
    durations.append((time.perf_counter() - began) * 1000)
print(json.dumps({"publishes": len(durations), "skipped": skipped, "ms": durations}), flush=True)
"""
# Counts, per wrk thread, the responses the server rendered (X-Page-Cache: miss), the ones it
# served from the cache (hit), the ones with neither, and the statuses other than 200; done()
# sums the threads' counters and prints one line for the script to read.
CHURN_LUA = """
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  misses, hits, unmarked, non200 = 0, 0, 0, 0
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
  local cache = headers["X-Page-Cache"]
  if cache == nil then
    -- servers built on hyper (granian) send header names in lower case
    for name, value in pairs(headers) do
      if string.lower(name) == "x-page-cache" then cache = value end
    end
  end
  if cache == "miss" then misses = misses + 1
  elseif cache == "hit" then hits = hits + 1
  else unmarked = unmarked + 1 end
end

function done(summary, latency, requests)
  local m, h, u, n = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    m = m + thread:get("misses")
    h = h + thread:get("hits")
    u = u + thread:get("unmarked")
    n = n + thread:get("non200")
  end
  io.write(string.format("churn-counts misses=%d hits=%d unmarked=%d non200=%d\\n", m, h, u, n))
end
"""
ADD_500_COMMENTS = """
from django.utils import timezone
from healthpress.articles.models import ArticlePage
from healthpress.comments.models import Comment
article = ArticlePage.objects.get(slug="why-does-my-lower-back-hurt-after-sitting-all-day")
Comment.objects.bulk_create(
    Comment(article=article, name=f"Reader {n}", body=f"Comment number {n}. Thanks!",
            status="approved", approved_at=timezone.now(), fingerprint=f"bench{n}")
    for n in range(500)
)
"""
PG_URL = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/hp_bench")
REDIS_URL = os.environ.get("REDIS_BENCH_URL", "redis://127.0.0.1:6379/8")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need(tool, package):
    if shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists():
        return True
    print(f"{tool} not found: install Debian's {package} package (apt-get install {package})")
    return False


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def wrk_command(url, connections=64, seconds=10, script=None):
    # A 10 s timeout: the uncached render queues 64 readers for longer than wrk's default 2 s,
    # and a slow answer is a latency to report, not a lost request.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    return [*command, *(["--script", str(script)] if script else []), url]


def wrk(url, connections=64, seconds=10):
    out = subprocess.run(
        wrk_command(url, connections, seconds),
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    return wrk_figures(out)


def wrk_figures(out):
    """Requests/s, p50, p99 and the slowest request (ms), and the errors in wrk's report. wrk
    corrects its percentiles for coordinated omission: a request that waited far longer than the
    usual interval counts as the requests a reader arriving during that wait would have made."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    def latency(pct):
        return ms(re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M))

    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    slowest = ms(re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\s", out, re.M))
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "max": slowest, "errors": errors}


def one_reader(url, count=100):
    """p50 and p95 in ms of `count` requests made one after another on one connection: the
    render time a single reader sees, with no queue in front of it."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            connection.request("GET", parts.path)
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
    finally:
        connection.close()
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def demo_site(env):
    """The demo site as `make serve` would run it: migrated, the demo loaded, static collected."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "load_demo", "--no-admin"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    return manage


def prepare_site(env):
    manage = demo_site(env)
    subprocess.run([*manage, "shell", "-c", ADD_500_COMMENTS], env=env, check=True, cwd=ROOT)


def app_env(env, cached):
    return {**env, "PAGE_CACHE_SECONDS": "3600" if cached else "0"}


def start_app(server, env, cached):
    port = free_port()
    env = app_env(env, cached)
    sys.path.insert(0, str(ROOT))
    from healthpress.launch.serve import server_command

    process = subprocess.Popen(
        server_command(server, "127.0.0.1", port, WORKERS),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{ARTICLE}"
    body = wait_for(url)
    return process, url, body


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def nginx_static(body, workdir):
    port = free_port()
    root = workdir / "www"
    (root / ARTICLE.strip("/")).mkdir(parents=True, exist_ok=True)
    (root / ARTICLE.strip("/") / "index.html").write_bytes(body)
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/tmp;
  proxy_temp_path {workdir}/tmp;
  fastcgi_temp_path {workdir}/tmp;
  uwsgi_temp_path {workdir}/tmp;
  scgi_temp_path {workdir}/tmp;
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
""")
    (workdir / "tmp").mkdir(exist_ok=True)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}{ARTICLE}"
    try:
        wait_for(url, seconds=15)
    except RuntimeError as error:
        stop(process)
        log = (workdir / "error.log").read_text()
        raise RuntimeError(f"nginx did not serve the page: {log}") from error
    return process, url


def row(name, r):
    return (
        f"  {name:<34} {r['rps']:>10,.0f} req/s   p50 {r['p50']:>7.2f} ms   "
        f"p99 {r['p99']:>7.2f} ms   errors {r['errors']}"
    )


def site_env(workdir, **extra):
    """Production settings for a throwaway demo site in `workdir`, on SQLite unless told."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        HEALTHPRESS_VAR_DIR=str(workdir / "var"),
        STATIC_ROOT=str(workdir / "static"),
        DJANGO_SETTINGS_MODULE="healthpress.settings.production",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="false",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def run_stack(stack, servers, seconds, scenarios=SCENARIOS):
    workdir = Path(tempfile.mkdtemp(prefix=f"hp-bench-{stack}-"))
    workdir.chmod(0o755)  # nginx's workers run as another user and must read the page file
    env = site_env(workdir)
    if stack == "postgres":
        subprocess.run(
            ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", "hp_bench"], check=False
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "hp_bench"], check=True)
        env.update(DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL)
    prepare_site(env)
    try:
        if "pages" in scenarios:
            serve_pages(stack, servers, seconds, env, workdir)
        if "churn" in scenarios:
            churn(stack, servers, seconds, env, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def serve_pages(stack, servers, seconds, env, workdir):
    print(f"\n{stack}: wrk -t2 -c64 -d{seconds}s {ARTICLE}")
    results = {}
    body = None
    for server in servers:
        for cached in (False, True):
            process, url, body = start_app(server, env, cached)
            busy_url = url.replace(ARTICLE, BUSY)
            try:
                # Warm up (imports, connections, the cache entry) one request at a time: a
                # 64-connection warm-up leaves a queue of uncached renders in the server
                # that the measured run would wait behind.
                one_reader(url, count=10)
                alone = one_reader(url) if not cached else None
                result = wrk(url, seconds=seconds)
                one_reader(busy_url, count=10)
                busy = wrk(busy_url, seconds=seconds)
            finally:
                stop(process)
            label = f"({'b' if cached else 'a'}) {server}, {'page cache' if cached else 'uncached'}"
            results[(server, cached)] = result
            if alone:
                print(
                    f"  (a) {server}, uncached, one reader at a time:"
                    f"  p50 {alone[0]:.1f} ms   p95 {alone[1]:.1f} ms"
                )
            print(row(label, result), flush=True)
            print(row("    same, article with 500 comments", busy), flush=True)
    # The measured page is the article with its pictures (issue 26: lead image, figure and the
    # related articles' cards), as HTML: the pictures are separate requests, not part of it.
    pictures = body.count(b"<picture")
    print(f"  the article's HTML: {len(body) / 1024:.1f} KB, {pictures} pictures (<picture>)")
    process, url = nginx_static(body, workdir)
    try:
        wrk(url, seconds=2)
        static = wrk(url, seconds=seconds)
    finally:
        stop(process)
    print(row("(c) nginx, same bytes as a file", static))
    for server in servers:
        a, b = results[(server, False)], results[(server, True)]
        print(
            f"  {server}: b/c = {b['rps'] / static['rps']:.1%}"
            f"   a/c = {a['rps'] / static['rps']:.2%}"
        )


def start_publisher(env, seconds, workdir):
    """The editor of the churn scenario, set up and waiting for the start (see PUBLISHER)."""
    log = open(workdir / "publisher.log", "w+b")  # noqa: SIM115  (closed by finish_publisher)
    process = subprocess.Popen(
        [PYTHON, "-c", PUBLISHER, str(seconds), TOPIC],
        env=app_env(env, cached=True),  # the server's settings: same store, same purge clock
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    process.log = log
    if process.stdout.readline().strip() != "ready":
        finish_publisher(process, timeout=5)
    return process


def finish_publisher(process, timeout):
    """What the publisher did; it is killed if it has not finished within `timeout` seconds."""
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    process.log.seek(0)
    errors = process.log.read().decode(errors="replace").strip()
    process.log.close()
    lines = (out or "").strip().splitlines()
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"the publisher failed (exit {process.returncode}):\n{errors}")
    return json.loads(lines[-1])


def churn(stack, servers, seconds, env, workdir):
    print(
        f"\n{stack}: churn, wrk -t2 -c64 -d{seconds}s {ARTICLE} with the topic "
        f"{TOPIC!r} published once a second ({WORKERS} processes per server)"
    )
    script = workdir / "churn.lua"
    script.write_text(CHURN_LUA)
    for server in servers:
        process, url, _ = start_app(server, env, cached=True)
        publisher = None
        try:
            one_reader(url, count=10)  # warm up, one request at a time (see serve_pages)
            publisher = start_publisher(env, seconds, workdir)
            # The publisher's warm-up publish purged the cache: readers on every connection now
            # make every server process render once, as a server that has run for a while has.
            wrk(url, seconds=2)
            publisher.stdin.write("go\n")
            publisher.stdin.flush()
            out = subprocess.run(
                wrk_command(url, seconds=seconds, script=script),
                capture_output=True,
                text=True,
                timeout=seconds + 30,
            ).stdout
            published = finish_publisher(publisher, timeout=15)
        finally:
            if publisher is not None and publisher.poll() is None:
                publisher.kill()
                publisher.wait()
            stop(process)
        result = wrk_figures(out)
        if "churn-counts" not in out:
            raise RuntimeError(f"wrk's Lua script reported nothing:\n{out}")
        counts = {
            name: int(value)
            for name, value in re.findall(r"(\w+)=(\d+)", out.split("churn-counts", 1)[1])
        }
        purges = published["publishes"]
        renders = counts.get("misses", 0)
        per_purge = f"{renders / purges:.1f}" if purges else "n/a"
        publish_ms = sorted(published["ms"]) or [0.0]
        print(row(f"{server}, page cache under churn", result), flush=True)
        print(
            f"    purges {purges}   renders {renders}   renders per purge {per_purge}"
            f" (processes {WORKERS})   hits {counts.get('hits', 0)}"
            f"   unmarked {counts.get('unmarked', 0)}   non-200 {counts.get('non200', 0)}"
            f"   slowest request {result['max']:.0f} ms"
            f"   publish p50 {statistics.median(publish_ms):.0f} ms"
            f" max {publish_ms[-1]:.0f} ms   skipped ticks {published['skipped']}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--servers", default="granian,gunicorn")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--only",
        choices=SCENARIOS,
        action="append",
        help="run only this scenario (repeatable); default: every scenario",
    )
    args = parser.parse_args()
    scenarios = args.only or SCENARIOS
    if not need("wrk", "wrk") or ("pages" in scenarios and not need("nginx", "nginx-light")):
        return 0
    stacks = ["sqlite", "postgres"] if args.stack == "both" else [args.stack]
    for stack in stacks:
        if (
            stack == "postgres"
            and subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "healthpress.launch.dbcheck",
                    "postgres://postgres@127.0.0.1:5432/test",
                ],
                cwd=ROOT,
                capture_output=True,
            ).returncode
        ):
            print("\npostgres: skipped, no PostgreSQL at 127.0.0.1:5432")
            continue
        run_stack(stack, args.servers.split(","), args.seconds, scenarios)
    return 0


if __name__ == "__main__":
    sys.exit(main())
