"""A real database outage: the running server answers 503 (readable, no stack trace) while
PostgreSQL is unreachable and recovers by itself when it is back.

The outage is made by a TCP relay on loopback between the server and PostgreSQL that this test
closes and reopens; nothing is mocked.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from healthpress.core.dbcheck import reachable

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432/test"
pytestmark = pytest.mark.skipif(not reachable(PG), reason="no PostgreSQL at 127.0.0.1:5432")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """Forwards 127.0.0.1:port to PostgreSQL; `cut()` drops every connection and refuses new."""

    def __init__(self, target=("127.0.0.1", 5432)):
        self.port, self.target = free_port(), target
        self.sockets, self.listener = [], None

    def open(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener.settimeout(0.2)
        self.running = True
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.running = False
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []
        time.sleep(0.3)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def outage_site(tmp_path):
    name = f"hp_outage_{os.getpid()}"
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    relay = Relay()
    relay.open()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthpress.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{relay.port}/{name}",
        "SECRET_KEY": "outage-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",
        "PAGE_CACHE_SECONDS": "0",
        "HEALTHPRESS_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "CRITICAL",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*manage, "load_demo", "--no-admin"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield base, relay
    server.terminate()
    server.wait(timeout=10)
    relay.cut()
    subprocess.run(["dropdb", "--if-exists", "--force", "-h", "127.0.0.1", "-U", "postgres", name])


def test_server_answers_503_while_the_database_is_down_and_recovers(outage_site):
    base, relay = outage_site
    article = base + "/muscles-bones-and-joints/"
    assert get(article)[0] == 200

    relay.cut()
    status, html = get(article)
    assert status == 503
    assert "cannot reach its database" in html
    assert "Traceback" not in html and "psycopg" not in html
    assert get(base + "/healthz") == (503, "database: unavailable\ncache: ok\n")

    relay.open()
    deadline = time.time() + 20
    while (status := get(article)[0]) != 200 and time.time() < deadline:
        time.sleep(0.5)
    assert status == 200
    assert get(base + "/healthz")[0] == 200
