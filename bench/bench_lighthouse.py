"""Lighthouse on the demo's rich articles, served as in production (issue 26's budget).

    .venv/bin/python bench/bench_lighthouse.py [--article back|cramps|both]
                                               [--form mobile|desktop|both] [--runs 3] [--details]

A throwaway demo site (production settings, SQLite, the page cache on) behind nginx configured as
docs/deploy.md shows it (static files and renditions from disk, originals refused, the rest
proxied to granian), on 127.0.0.1 only. Lighthouse 12.2.x runs Debian's Chromium against:

- back: "Why does my lower back hurt after sitting all day?", three pictures in its body (the
  lead image, a line-art figure and the video block's poster) and the click-to-play video;
- cramps: "Is cramping caused by ...?", a lead image, a figure and a table;

each on a 375 px phone (Lighthouse's mobile throttling: slow 4G, 4x slower CPU) and on desktop,
three times (the median run by performance score is reported: that score moves with the
machine's load, the others do not). It prints the four category scores, CLS, the total bytes the
page loaded (images included), Lighthouse's CPU index of the machine, and every audit that kept
a category under 100. Budget (issue 26): 100 in all four, CLS 0, at most 250 KB on
the phone.

Lighthouse is not one of the project's dependencies (it is an npm package, run on this machine's
Node 20): install it once, outside the repository's tracked files,

    npm install --prefix var/lighthouse lighthouse@12.2

or point LIGHTHOUSE at a `lighthouse` executable. Without it, Node, Chromium (/usr/bin/chromium)
or nginx, the script says what is missing and exits 0: a benchmark never fails on figures.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_pages  # noqa: E402  (the production settings for a throwaway site)

CHROMIUM = Path("/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
ARTICLES = {
    "back": "/muscles-bones-and-joints/why-does-my-lower-back-hurt-after-sitting-all-day/",
    "cramps": bench_pages.ARTICLE,
}
# A 375 px phone (an iPhone SE's viewport at twice the pixels) with Lighthouse's own mobile
# throttling; desktop is Lighthouse's desktop preset.
FORMS = {
    "mobile": [
        "--form-factor=mobile",
        "--screenEmulation.mobile",
        "--screenEmulation.width=375",
        "--screenEmulation.height=667",
        "--screenEmulation.deviceScaleFactor=2",
    ],
    "desktop": ["--preset=desktop"],
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PHONE_BYTES_BUDGET = 250 * 1024


def find_lighthouse():
    for candidate in (
        os.environ.get("LIGHTHOUSE"),
        ROOT / "var" / "lighthouse" / "node_modules" / ".bin" / "lighthouse",
        shutil.which("lighthouse"),
    ):
        if candidate and Path(candidate).exists():
            return str(candidate)
    return None


def missing_tools():
    """What this machine lacks to run the benchmark, as sentences for the reader."""
    missing = []
    if not shutil.which("node"):
        missing.append("Node.js (Debian's nodejs package) is not installed")
    lighthouse = find_lighthouse()
    if not lighthouse:
        missing.append(
            "Lighthouse is not installed: npm install --prefix var/lighthouse lighthouse@12.2 "
            "(or set LIGHTHOUSE to its executable)"
        )
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} not found: install Debian's chromium package")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        missing.append("nginx not found: install Debian's nginx-light package")
    return lighthouse, missing


def nginx_front(workdir, port, app_port, env):
    """nginx as docs/deploy.md sets it up, without TLS: static files and renditions from disk,
    originals and unfinished uploads refused, everything else proxied to the app."""
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  gzip on;  # Debian's nginx.conf: pages compressed; static files have their .gz beside them
  client_body_temp_path {workdir}/tmp;
  proxy_temp_path {workdir}/tmp;
  fastcgi_temp_path {workdir}/tmp;
  uwsgi_temp_path {workdir}/tmp;
  scgi_temp_path {workdir}/tmp;
  upstream healthpress {{ server 127.0.0.1:{app_port}; keepalive 8; }}
  server {{
    listen 127.0.0.1:{port};
    location /static/ {{ alias {env["STATIC_ROOT"]}/; gzip_static on; expires max; }}
    location /media/original_images/ {{ return 404; }}
    location /media/wagtail_uploads/ {{ return 404; }}
    location /media/ {{ alias {env["MEDIA_ROOT"]}/; }}
    location / {{
      proxy_pass http://healthpress;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
""")
    (workdir / "tmp").mkdir(exist_ok=True)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"])


def start_site(workdir):
    """The demo site behind nginx; returns (processes, origin)."""
    port, app_port = bench_pages.free_port(), bench_pages.free_port()
    # PORT: the demo's Site answers on nginx's port, so canonical links, og:image and the
    # JSON-LD point at the origin Lighthouse loads.
    # MEDIA_ROOT outside the private var/ (as docs/deploy.md has it), for nginx's workers to read.
    env = bench_pages.site_env(
        workdir, PORT=str(port), PAGE_CACHE_SECONDS="3600", MEDIA_ROOT=str(workdir / "media")
    )
    bench_pages.demo_site(env)
    sys.path.insert(0, str(ROOT))
    from healthpress.launch.serve import server_command

    app = subprocess.Popen(
        server_command("granian", "127.0.0.1", app_port, 1),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    processes = [app]
    try:
        processes.append(nginx_front(workdir, port, app_port, env))
        origin = f"http://127.0.0.1:{port}"
        for path in ARTICLES.values():
            bench_pages.wait_for(origin + path)  # rendered once, then served from the cache
    except BaseException:
        stop_all(processes)
        raise
    return processes, origin


def stop_all(processes):
    for process in reversed(processes):
        bench_pages.stop(process)


def run_lighthouse(lighthouse, url, form, out):
    command = [
        lighthouse,
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={CHROME_FLAGS}",
        *FORMS[form],
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    # Lighthouse itself sometimes fails to record a trace ("NO_NAVSTART"); a second try is a
    # new browser. A run that fails twice is left out of the median, and said so.
    for attempt in (1, 2):
        done = subprocess.run(command, timeout=240, cwd=ROOT, check=False)
        if done.returncode == 0:
            return json.loads(Path(out).read_text())
        print(f"  Lighthouse failed on {url} ({form}, try {attempt} of 2)", flush=True)
    return None


def figures(report):
    """The four scores (0-100), CLS, total bytes and the audits that cost a category points."""
    audits = report["audits"]
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    short = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                short.append(f"{name}: {ref['id']} {audit['score']:.2f}{value}")
    return {
        "long_tasks": [
            (item["url"], round(item["duration"]), round(item.get("startTime", 0)))
            for item in audits["long-tasks"]["details"].get("items", [])
        ],
        "main_thread": [
            (item["groupLabel"], item["duration"])
            for item in audits["mainthread-work-breakdown"]["details"]["items"]
        ],
        "scores": scores,
        # Lighthouse's measure of this machine's CPU at the time (a busy shared machine scores
        # low, and its simulated phone is slower still): the context of the performance score.
        "benchmark_index": round(report["environment"]["benchmarkIndex"]),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "short": short,
        "requests": [
            (item["url"], item.get("statusCode"), item.get("transferSize", 0))
            for item in audits["network-requests"]["details"]["items"]
        ],
    }


def report_line(article, form, found):
    scores = "  ".join(f"{name} {found['scores'][name]:>3}" for name in CATEGORIES)
    within = (
        all(score == 100 for score in found["scores"].values())
        and found["cls"] == 0
        and (form != "mobile" or found["bytes"] <= PHONE_BYTES_BUDGET)
    )
    return (
        f"  {article:<7} {form:<8} {scores}   CLS {found['cls']:.3f}   "
        f"{found['bytes'] / 1024:>6.1f} KB   LCP {found['lcp_ms'] / 1000:.1f} s   "
        f"CPU index {found['benchmark_index']}   budget {'met' if within else 'MISSED'}"
    )


def median_run(runs):
    """The run with the median performance score: the other categories, CLS and the bytes do
    not change from run to run, the performance score does with the machine's load (Lighthouse's
    own advice is the median of several runs)."""
    ordered = sorted(runs, key=lambda found: found["scores"]["performance"])
    return ordered[(len(ordered) - 1) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", choices=[*ARTICLES, "both"], default="both")
    parser.add_argument("--form", choices=[*FORMS, "both"], default="both")
    parser.add_argument(
        "--details",
        action="store_true",
        help="list the requests, long tasks and main thread's work of the median run",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per article and form (median)"
    )
    args = parser.parse_args()
    lighthouse, missing = missing_tools()
    if missing:
        for reason in missing:
            print(f"bench_lighthouse skipped: {reason}")
        return 0
    version = subprocess.run(
        [lighthouse, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    articles = list(ARTICLES) if args.article == "both" else [args.article]
    forms = list(FORMS) if args.form == "both" else [args.form]
    workdir = Path(tempfile.mkdtemp(prefix="hp-lighthouse-"))
    workdir.chmod(0o755)  # nginx's workers run as another user and read the files below it
    try:
        processes, origin = start_site(workdir)
        try:
            print(f"Lighthouse {version}, Chromium {CHROMIUM}, {origin} (nginx + granian)")
            for article in articles:
                for form in forms:
                    runs = []
                    for _ in range(args.runs):
                        report = run_lighthouse(
                            lighthouse, origin + ARTICLES[article], form, workdir / "report.json"
                        )
                        if report is not None:
                            runs.append(figures(report))
                    if not runs:
                        print(f"  {article:<7} {form:<8} no run of Lighthouse completed")
                        continue
                    if len(runs) > 1:
                        performance = [found["scores"]["performance"] for found in runs]
                        print(f"  {article:<7} {form:<8} performance of each run: {performance}")
                    found = median_run(runs)
                    print(report_line(article, form, found), flush=True)
                    for line in found["short"]:
                        print(f"      under 100: {line}")
                    if args.details:
                        for url, duration, start in found["long_tasks"]:
                            print(f"      long task {duration} ms at {start} ms: {url}")
                        for url, status, size in found["requests"]:
                            print(f"      {status} {size:>7} B  {url.removeprefix(origin)}")
                        for group, ms in found["main_thread"]:
                            print(f"      main thread: {group} {ms:.0f} ms")
        finally:
            stop_all(processes)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
