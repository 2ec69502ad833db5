"""`make run`: Django's development server and the task worker, started and stopped together.

`make run` is `python -m healthpress.launch.devserver --demo`, which
1. migrates and loads the demo (`manage.py migrate`, `manage.py load_demo --no-admin`);
2. makes sure of the admin's account (`manage.py demo_admin`), keeping its address and password
   to print last;
3. runs the background tasks the set-up queued (search index, embeddings, ...), one short line
   each (`healthpress.launch.worker --batch`), so they are done before the server starts;
4. starts the server and the worker, and once the server answers prints "Serving on" and the
   admin's address and password: the last lines on the screen, whatever came before.
Without --demo only step 4's two processes start, and it says where it serves.

Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) stop every process it started
(children.py), during the set-up too.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time

from .children import Children

# How long the server may take to answer the first time (a cold start on a busy machine).
ANSWER_TIMEOUT = 120


def port_is_free(port):
    with socket.socket() as probe:
        # As runserver binds (SO_REUSEADDR): only a listening server makes the port busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until_answering(port, server, children, timeout=ANSWER_TIMEOUT):
    """True once something accepts connections on the port; False if the server exited, a stop
    signal came or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None or children.stopping:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.25)
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m healthpress.launch.devserver",
        description="Serve HealthPress for local use, with the django-tasks worker beside it. "
        "Ctrl-C, SIGTERM and SIGHUP stop both.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT") or 8000),
        help="port on 127.0.0.1 (default: $PORT or 8000)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="first migrate, load the demo site and run the tasks that queues; once the server "
        "answers, print the admin's address and password (what `make run` does)",
    )
    args = parser.parse_args(argv)
    if not port_is_free(args.port):
        print(
            f"Port {args.port} on 127.0.0.1 is in use (another `make run`?): stop that server "
            f"or choose another port, e.g. PORT={args.port + 1} make run",
            file=sys.stderr,
        )
        return 1

    # Unbuffered children: their lines and ours keep their order when the output is a pipe.
    env = {**os.environ, "PORT": str(args.port), "PYTHONUNBUFFERED": "1"}
    python = sys.executable
    manage = [python, "manage.py"]
    address = f"http://127.0.0.1:{args.port}/"
    with Children(stop_signal=signal.SIGTERM) as children:
        admin = ""
        if args.demo:
            steps = [
                [*manage, "migrate", "--noinput"],
                [*manage, "load_demo", "--no-admin"],
                [*manage, "demo_admin"],
                [python, "-m", "healthpress.launch.worker", "--batch", "--no-reload"],
            ]
            for step in steps:
                capture = subprocess.PIPE if "demo_admin" in step else None
                done = children.run(step, env=env, stdout=capture, text=True)
                if done is None or done.returncode or children.stopping:
                    return children.exit_status(done.returncode if done else 0)
                if capture:
                    admin = done.stdout.strip()
        children.start([python, "-m", "healthpress.launch.worker", "--no-startup-delay"], env=env)
        server = children.start([*manage, "runserver", f"127.0.0.1:{args.port}"], env=env)
        if server is None:
            return 0
        if wait_until_answering(args.port, server, children):
            print(f"\nServing on {address} (Ctrl-C stops it)", flush=True)
            if admin:
                print(admin, flush=True)
        return children.exit_status(server.wait())


if __name__ == "__main__":
    sys.exit(main())
