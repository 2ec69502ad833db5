"""Page-serving benchmark: uncached render, the app's page cache, and nginx serving the same bytes.

    .venv/bin/python bench/bench_pages.py [--stack sqlite|postgres|both] [--servers a,b]

wrk (Debian package) at 64 connections for 10 s against the demo cramps article, loopback only,
every server started and stopped by this script. It prints requests/s, p50, p99 and errors for
(a) the uncached render, (b) the page cache, (c) nginx serving the page as a static file, and the
ratios b/c and a/c. Figures are printed, never asserted: a benchmark does not fail on timing.
"""

import argparse
import http.client
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


def wrk(url, connections=64, seconds=10):
    out = subprocess.run(
        # A 10 s timeout: the uncached render queues 64 readers for longer than wrk's default 2 s,
        # and a slow answer is a latency to report, not a lost request.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": errors}


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


def prepare_site(env):
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
    subprocess.run([*manage, "shell", "-c", ADD_500_COMMENTS], env=env, check=True, cwd=ROOT)


def start_app(server, env, cached):
    port = free_port()
    env = {**env, "PAGE_CACHE_SECONDS": "3600" if cached else "0"}
    sys.path.insert(0, str(ROOT))
    from healthpress.core.serve import server_command

    process = subprocess.Popen(
        server_command(server, "127.0.0.1", port, 2),
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
        LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def run_stack(stack, servers, seconds):
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
    print(f"\n{stack}: wrk -t2 -c64 -d{seconds}s {ARTICLE}")
    results = {}
    body = None
    try:
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
                label = (
                    f"({'b' if cached else 'a'}) {server}, {'page cache' if cached else 'uncached'}"
                )
                results[(server, cached)] = result
                if alone:
                    print(
                        f"  (a) {server}, uncached, one reader at a time:"
                        f"  p50 {alone[0]:.1f} ms   p95 {alone[1]:.1f} ms"
                    )
                print(row(label, result), flush=True)
                print(row("    same, article with 500 comments", busy), flush=True)
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
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--servers", default="granian,gunicorn")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not (need("wrk", "wrk") and need("nginx", "nginx-light")):
        return 0
    stacks = ["sqlite", "postgres"] if args.stack == "both" else [args.stack]
    for stack in stacks:
        if (
            stack == "postgres"
            and subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "healthpress.core.dbcheck",
                    "postgres://postgres@127.0.0.1:5432/test",
                ],
                cwd=ROOT,
                capture_output=True,
            ).returncode
        ):
            print("\npostgres: skipped, no PostgreSQL at 127.0.0.1:5432")
            continue
        run_stack(stack, args.servers.split(","), args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
