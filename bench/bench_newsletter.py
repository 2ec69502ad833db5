"""Newsletter sending benchmark: one edition to 10,000 and 50,000 confirmed subscribers.

The sender is the real `manage.py send_newsletter` in its own process (file SQLite database in a
temporary folder); the SMTP server is aiosmtpd on 127.0.0.1 in a third process, so neither shares
the sender's GIL. Prints messages per second and the sender's peak memory (max RSS). Bounded:
each run is stopped after 15 minutes; always exits 0 (figures, not a test).

    .venv/bin/python bench/bench_newsletter.py [--sizes 10000 50000]
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME_LIMIT = 15 * 60


def smtp_server(port, count_file):
    """A counting SMTP server (aiosmtpd): accepts everything, keeps only the count."""
    import asyncio
    import signal

    from aiosmtpd.controller import Controller

    class Counter:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            self.count += 1
            return "250 OK"

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    Path(count_file).write_text(str(counter.count))


def seed(count):
    """One published article, then `count` confirmed "each new article" subscribers."""
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from healthpress.articles.content import ArticleContent, paragraphs_to_html, save_article
    from healthpress.core.site import get_or_create_topic
    from healthpress.newsletter.models import Subscriber

    topic, _ = get_or_create_topic("Muscles, bones and joints")
    content = ArticleContent(
        question="Why do my legs cramp at night?",
        short_answer="Mostly tired muscles; sometimes low minerals or poor circulation.",
        body=[
            {
                "type": "section",
                "value": {
                    "heading": "Tired muscles",
                    "explanation": paragraphs_to_html(["Why it happens."]),
                    "advice": paragraphs_to_html(["What helps."]),
                },
            }
        ],
    )
    save_article(content, topic=topic, publish=True)
    since = timezone.now() - timedelta(days=1)
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n:06d}@example.org",
                status=Subscriber.Status.CONFIRMED,
                frequency=Subscriber.Frequency.INSTANT,
                consent_at=since,
                confirmed_at=since,
                articles_since=since,
            )
            for n in range(count)
        ),
        batch_size=5000,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("SMTP server did not start")


def run(cmd, env, timeout=TIME_LIMIT):
    return subprocess.run(cmd, cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True)


def bench(size, template, workdir, env):
    db = workdir / f"bench-{size}.sqlite3"
    shutil.copy(template, db)
    env = {**env, "DATABASE_URL": f"sqlite:///{db}"}
    seeded = run([sys.executable, __file__, "--seed", str(size)], env)
    if seeded.returncode:
        print(seeded.stderr[-2000:])
        return
    port = free_port()
    count_file = workdir / f"count-{size}"
    server = subprocess.Popen(
        [sys.executable, __file__, "--smtp-server", str(port), str(count_file)], cwd=ROOT
    )
    try:
        wait_for_port(port)
        env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
        started = time.monotonic()
        sender = subprocess.Popen(
            [sys.executable, "manage.py", "send_newsletter", "--no-progress"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = started + TIME_LIMIT
        while True:  # os.wait4 gives the child's own peak memory
            pid, status, usage = os.wait4(sender.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                sender.kill()
                print(f"{size:>7,} subscribers: stopped after {TIME_LIMIT}s")
                return
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        summary = sender.stdout.read().strip()
    finally:
        server.terminate()
        _, _, server_usage = os.wait4(server.pid, 0)
        server.returncode = 0
    received = int(count_file.read_text()) if count_file.exists() else -1
    peak_mb = usage.ru_maxrss / 1024
    print(
        f"{size:>7,} subscribers: {received:,} received by the SMTP server in {elapsed:6.1f} s "
        f"= {received / elapsed:6.0f} messages/s; sender peak memory {peak_mb:5.0f} MB"
    )
    sender_cpu = (usage.ru_utime + usage.ru_stime) / max(received, 1) * 1000
    server_cpu = (server_usage.ru_utime + server_usage.ru_stime) / max(received, 1) * 1000
    print(
        f"         CPU per message: sender {sender_cpu:.2f} ms, SMTP server {server_cpu:.2f} ms "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"         sender said: {summary}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 50_000])
    parser.add_argument("--smtp-server", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smtp_server:
        return smtp_server(int(args.smtp_server[0]), args.smtp_server[1])
    if args.seed:
        return seed(args.seed)

    workdir = Path(tempfile.mkdtemp(prefix="hp-bench-newsletter-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthpress.settings.dev",
        "DEBUG": "false",
        "HEALTHPRESS_VAR_DIR": str(workdir / "var"),
        "PYTHONPATH": str(ROOT),
        "NEWSLETTER_MAX_PER_SECOND": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("EMAIL_HOST", None)
    try:
        template = workdir / "template.sqlite3"
        migrated = run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            {**env, "DATABASE_URL": f"sqlite:///{template}"},
        )
        if migrated.returncode:
            print(migrated.stderr[-2000:])
            return 0
        print("Newsletter edition through a local aiosmtpd server (separate processes, SQLite):")
        for size in args.sizes:
            bench(min(size, 100_000), template, workdir, env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
