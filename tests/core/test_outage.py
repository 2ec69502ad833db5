"""A real database outage: the running server answers 503 (readable, no stack trace) while
PostgreSQL is unreachable and recovers by itself when it is back.

The outage is made by a TCP relay on loopback between the server and PostgreSQL that this test
closes and reopens; nothing is mocked.
"""

import contextlib
import os
import socket
import subprocess
import threading
import time

import pytest

from healthpress.launch.dbcheck import reachable
from tests.core.live_site import (
    MANAGE,
    ROOT,
    demo_site,
    drop_site,
    free_port,
    get,
    stop,
    wait_until_up,
)

PG = "postgres://postgres@127.0.0.1:5432/test"
pytestmark = [
    pytest.mark.own_stack,
    pytest.mark.skipif(not reachable(PG), reason="no PostgreSQL at 127.0.0.1:5432"),
]


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


@pytest.fixture
def outage_site(tmp_path):
    relay = Relay()
    relay.open()
    name = f"hp_outage_{os.getpid()}"
    env = demo_site(name, tmp_path, db_port=relay.port, PAGE_CACHE_SECONDS="0")
    port = free_port()
    server = subprocess.Popen(
        [*MANAGE, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base)
    yield base, relay
    stop(server)
    relay.cut()
    drop_site(name)


def test_server_answers_503_while_the_database_is_down_and_recovers(outage_site):
    base, relay = outage_site
    article = base + "/muscles-bones-and-joints/"
    assert get(article)[0] == 200

    relay.cut()
    status, html = get(article)
    assert status == 503
    assert "cannot reach its database" in html
    assert "Traceback" not in html and "psycopg" not in html
    assert get(base + "/healthz") == (503, "database: unavailable\ncache: ok\npage cache: ok\n")

    relay.open()
    deadline = time.time() + 20
    while (status := get(article)[0]) != 200 and time.time() < deadline:
        time.sleep(0.5)
    assert status == 200
    assert get(base + "/healthz")[0] == 200
