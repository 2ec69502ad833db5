"""Many concurrent comment posts against a real server process: the harness behind the
concurrency test (tests/comments/test_concurrency.py) and the benchmark (bench/bench_comments.py).
It lives in bench/, not in the comments app, because it is no part of the running site.

The server is the production one, started as `make serve` starts it (granian, see
healthpress.launch.serve.server_command), on a free 127.0.0.1 port and its own database: a
temporary SQLite file, or a scratch PostgreSQL database that is dropped afterwards. Its settings
(bench/comment_load_settings.py) are the test settings with production's persistent database
connections and task backend. Spam checks stay on (each post carries a valid fill-time token);
rate limits are switched off for the run.

Two clients: post_comments() (Python threads, every response checked; the concurrency test) and
wrk_comments() (wrk, the Debian package, with a Lua script; the benchmark). wrk costs a tenth of
the CPU per request, which matters when client and server share two cores.
"""

import contextlib
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.comment_load_settings"
SETUP_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from tests.conftest import make_article_content
from healthpress.articles.content import save_article
from healthpress.core.site import ensure_home_page, get_or_create_topic
ensure_home_page()
topic = get_or_create_topic("Load test")[0]
page, _ = save_article(make_article_content("Why load test comments?"), topic=topic, publish=True)
print(page.pk)
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def scratch_database(kind, pg_url=None):
    """A DATABASE_URL for a fresh, empty database, removed afterwards."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="hp-comments-load-")
        try:
            yield f"sqlite:///{folder}/load.sqlite3", folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    config = dj_database_url.parse(pg_url)
    name = f"hp_comments_load_{os.getpid()}"
    admin = dict(
        dbname=config["NAME"] or "postgres",
        user=config["USER"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    folder = tempfile.mkdtemp(prefix="hp-comments-load-")
    try:
        base = pg_url.rsplit("/", 1)[0]
        yield f"{base}/{name}", folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url, var_dir):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        HEALTHPRESS_VAR_DIR=str(var_dir),
        COMMENTS_RATE_LIMITS="off",
        PYTHONPATH=str(ROOT),
    )
    return env


@contextlib.contextmanager
def running_server(database_url, var_dir, workers=2):
    """Migrate, create one article, start the production server; yield (port, article id, log,
    server process); stop it."""
    from healthpress.launch.serve import server_command

    env = server_env(database_url, var_dir)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP_SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if setup.returncode:
        raise RuntimeError(f"setting up the load-test database failed:\n{setup.stderr[-3000:]}")
    article_id = int(setup.stdout.strip().splitlines()[-1])
    port = free_port()
    log = open(Path(var_dir) / "server.log", "w+")  # noqa: SIM115 (kept open for the server)
    server = subprocess.Popen(
        server_command("granian", "127.0.0.1", port, workers),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if server.poll() is not None:
                raise RuntimeError("server exited")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start within 60 s")
        yield port, article_id, log, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def comment_body(client_no, n):
    return f"Load comment {n} from client {client_no}: magnesium and stretching helped."


def post_comments(port, article_id, clients, per_client, time_limit=120):
    """`clients` threads each post `per_client` comments, one connection per thread (keep-alive).
    Returns (latencies in seconds, errors, wall time)."""
    from healthpress.core.fill_token import fill_token

    token = fill_token(article_id, time.time() - 60)
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.time() + time_limit

    def worker(client_no):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for n in range(per_client):
            if time.time() > stop_at:
                with lock:
                    errors.append("time limit reached")
                return
            body = urlencode(
                {
                    "page": article_id,
                    "name": f"Client {client_no}",
                    "comment": comment_body(client_no, n),
                    "started": token,
                }
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{port}",
                "Sec-Fetch-Site": "same-origin",
            }
            started = time.perf_counter()
            try:
                conn.request("POST", "/comments/post/", body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = repr(exc)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 302:
                    errors.append(status)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - wall


# Every request posts a new comment: the text names the wrk thread, a per-thread counter and the
# run, so no post is a repeat of another (repeats are spam, and the run is about new comments).
WRK_SCRIPT = """
local threads, next_id = {}, 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  page, token, origin, run = args[1], args[2], args[3], args[4]
  n, bad = 0, 0
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
    ["Sec-Fetch-Site"] = "same-origin",
  }
end

function request()
  n = n + 1
  local body = "page=" .. page .. "&name=Client+" .. id .. "&comment=Load+comment+" .. n
    .. "+from+client+" .. id .. "+in+run+" .. run
    .. "%3A+magnesium+and+stretching+helped.&started=" .. token
  return wrk.format("POST", "/comments/post/", headers, body)
end

function response(status, headers, body)
  if status ~= 302 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local not_redirected = 0
  for _, thread in ipairs(threads) do not_redirected = not_redirected + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "RESULT %d %.6f %.3f %.3f %.3f %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    not_redirected, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_available():
    return shutil.which("wrk") is not None


def wrk_comments(port, article_id, connections, seconds, run):
    """Post new comments from `connections` keep-alive connections for `seconds` with wrk.

    Returns a dict: requests (completed), seconds, p50/p95/p99 latency in ms, not_redirected
    (answers other than the 302 landing) and errors (socket errors and timeouts)."""
    from urllib.parse import quote

    from healthpress.core.fill_token import fill_token

    token = quote(fill_token(article_id, time.time() - 60), safe="")
    origin = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        result = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
            + ["-s", script.name, origin, "--", str(article_id), token, origin, run],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(script.name)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"wrk gave no result:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    requests, wall, p50, p95_ms, p99, not_redirected, errors = lines[-1].split()[1:]
    return {
        "requests": int(requests),
        "seconds": float(wall),
        "p50": float(p50),
        "p95": float(p95_ms),
        "p99": float(p99),
        "not_redirected": int(not_redirected),
        "errors": int(errors),
    }


def process_tree_cpu(pid):
    """CPU seconds (user + system) used so far by a process and its live descendants (Linux
    /proc; None elsewhere). The server's CPU per comment does not depend on what else the
    machine is doing, unlike its rate."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage, children = {}, {}
    try:
        names = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return None
    for name in names:
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        usage[int(name)] = (int(fields[11]) + int(fields[12])) / ticks
        children.setdefault(int(fields[1]), []).append(int(name))
    if pid not in usage:
        return None
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += usage.get(current, 0.0)
        todo += children.get(current, [])
    return total


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def stored_comments(database_url, var_dir):
    """Count what the server stored, read through Django in a separate process."""
    script = (
        "import django; django.setup();"
        "from healthpress.comments.models import Comment;"
        "print(Comment.objects.count(), Comment.objects.filter(status='pending').count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=server_env(database_url, var_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    total, pending = result.stdout.split()
    return int(total), int(pending)
