"""WordPress import benchmark (issue 28): a generated export of 10,000 posts with 50,000
comments, imported into a throwaway site.

    .venv/bin/python bench/bench_wordpress.py [--posts N] [--comments-per-post N] [--keep DIR]

The export is written by this script (WXR 1.2 as WordPress 6 writes it: Gutenberg block
comments, h2 sections, lists, links, bold, 20 categories, comments with replies, one in seven
held for moderation; no tags, pictures or pages). The site is the
production settings on SQLite under a temporary folder: migrate, `start_site`, then
`import_wordpress --publish-live` in a process of its own, timed from outside; its peak resident
memory comes from the kernel (wait4's rusage of that child). Budget (docs/performance.md): at
least 100 posts a second on SQLite, memory under 300 MB. Figures are printed, never asserted.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_pages  # noqa: E402  (the production settings for a throwaway site)

CATEGORIES = 20
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench clinic</title><link>https://bench.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example.org</wp:base_site_url>
<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
<wp:author><wp:author_login>nurse</wp:author_login>
<wp:author_display_name>Bench Nurse</wp:author_display_name></wp:author>
"""


def body(n):
    sections = "".join(
        f"<!-- wp:heading -->\n<h2>Reason {s} for symptom {n}</h2>\n<!-- /wp:heading -->\n"
        f"<!-- wp:paragraph -->\n<p>Reason {s} explained in a sentence or two, with "
        f'<a href="https://example.org/ref/{n}/{s}">a source</a> and <strong>a key point</strong>.'
        "</p>\n<!-- /wp:paragraph -->\n"
        "<!-- wp:list -->\n<ul><li>One thing to try.</li><li>Another thing to try.</li></ul>\n"
        "<!-- /wp:list -->\n"
        for s in range(1, 4)
    )
    return (
        f"<!-- wp:paragraph -->\n<p>Symptom {n} is common and usually settles by itself.</p>\n"
        f"<!-- /wp:paragraph -->\n{sections}"
    )


def comment(wp_id, parent, n):
    return (
        f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id><wp:comment_author>Reader {wp_id}"
        f"</wp:comment_author><wp:comment_author_email>reader{wp_id}@example.net"
        f"</wp:comment_author_email><wp:comment_author_IP>198.51.100.{wp_id % 250}"
        f"</wp:comment_author_IP><wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[Thanks, this helped with symptom {n}.]]>"
        "</wp:comment_content>"
        f"<wp:comment_approved>{'1' if wp_id % 7 else '0'}</wp:comment_approved>"
        f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}"
        "</wp:comment_parent></wp:comment>"
    )


def write_export(path, posts, comments_per_post):
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for c in range(CATEGORIES):
            out.write(
                f"<wp:category><wp:category_nicename>topic-{c}</wp:category_nicename>"
                f"<wp:cat_name>Topic {c}</wp:cat_name></wp:category>\n"
            )
        next_comment = 1
        for n in range(1, posts + 1):
            comments = []
            for k in range(comments_per_post):
                parent = next_comment - 1 if k % 2 else 0
                comments.append(comment(next_comment, parent, n))
                next_comment += 1
            slug = f"why-does-symptom-{n}-happen"
            out.write(
                f"<item><title>{escape(f'Why does symptom {n} happen?')}</title>"
                f"<link>https://bench.example.org/2020/01/{slug}/</link>"
                "<dc:creator>nurse</dc:creator>"
                f"<content:encoded><![CDATA[{body(n)}]]></content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                "<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>"
                "<wp:post_modified_gmt>2020-01-01 09:00:00</wp:post_modified_gmt>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="topic-{n % CATEGORIES}">Topic</category>'
                f"{''.join(comments)}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="hp-bench-wp-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = bench_pages.site_env(workdir, MEDIA_ROOT=str(workdir / "media"))
    manage = [sys.executable, str(ROOT / "manage.py")]
    export = workdir / "export.xml"
    started = time.perf_counter()
    write_export(export, args.posts, args.comments_per_post)
    size_mb = export.stat().st_size / 1e6
    print(
        f"export: {args.posts:,} posts, {args.posts * args.comments_per_post:,} comments, "
        f"{size_mb:.1f} MB, written in {time.perf_counter() - started:.1f} s"
    )
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "start_site", "--name", "Bench clinic", "--domain", "bench.example.org"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    command = [*manage, "import_wordpress", str(export), "--publish-live"]
    command += ["--report", str(workdir / "report.csv")]
    seconds, usage, lines = timed(command, env, workdir / "import")
    peak_mb = usage.ru_maxrss / 1024
    print("\n".join([line for line in lines if not line.startswith("  post “")][:12]))
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"import: {seconds:.1f} s, {args.posts / seconds:.1f} posts a second "
        f"(budget >= 100 on SQLite); peak resident memory of the import {peak_mb:.0f} MB "
        "(budget < 300 MB)"
    )
    # On a shared machine the wall clock measures the others' load too; the import is one
    # process on one core, so its CPU time says what a machine of its own would take.
    print(
        f"import CPU time: {cpu:.1f} s ({args.posts / cpu:.1f} posts per CPU second); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    # What the batch service queued for the task worker (reading levels, the reference index):
    # not part of the import's budget, but work the site does because of it.
    worker = [*manage, "db_worker", "--batch", "--no-startup-delay"]
    seconds, usage, _lines = timed(worker, env, workdir / "worker")
    print(
        f"then the queued tasks, one worker: {seconds:.1f} s "
        f"(CPU {usage.ru_utime + usage.ru_stime:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB)"
    )
    if args.keep:
        print(f"site kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def timed(command, env, stem):
    """Run a manage.py command; its wall time, its own rusage (wait4: not the largest child's,
    as RUSAGE_CHILDREN would give, which is migrate's) and its output lines."""
    out, err = stem.with_suffix(".out"), stem.with_suffix(".err")
    started = time.perf_counter()
    with out.open("w") as stdout, err.open("w") as stderr:
        child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        print(err.read_text()[-2000:])
    return seconds, usage, out.read_text().splitlines()


if __name__ == "__main__":
    main()
