"""`make serve`: the production server (several processes) and the task worker, stopped together.

Run `python -m healthpress.launch.serve --help`. Production settings are used; without SECRET_KEY
in the environment it serves a local trial on plain HTTP with the key kept in var/, and says so.
"""

import argparse
import os
import signal
import sys

from .children import Children

SERVERS = ("granian", "gunicorn")


def server_command(server, host, port, workers):
    app = "healthpress.wsgi:application"
    if server == "granian":
        # One blocking thread per worker: more threads raised p99 latency (docs/performance.md).
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            app,
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--backlog",
            "2048",
            "--no-access-log",
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
    ]


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def local_trial_environment(host="127.0.0.1"):
    """Fill in what production settings require, for a trial on this machine only. Without
    SECRET_KEY, anything that would reach other machines (another host name, a listening address
    that is not loopback) stops here instead of serving a trial to them."""
    from healthpress.settings.env import local_secret_key

    env = dict(os.environ)
    if not env.get("SECRET_KEY"):
        hosts = {h.strip() for h in env.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")}
        if not (hosts | {host}) <= LOCAL_HOSTS:
            print(
                "SECRET_KEY is not set, so only a local trial can run, and ALLOWED_HOSTS or "
                "--host names another machine. Set SECRET_KEY (and EMAIL_HOST) in the "
                "environment for a real deployment: docs/deploy.md.",
                file=sys.stderr,
            )
            raise SystemExit(2)
        print(
            "SECRET_KEY is not set: serving a local trial over plain HTTP with the key in var/, "
            "emails printed on the console. Set SECRET_KEY, ALLOWED_HOSTS, EMAIL_HOST and HTTPS "
            "for a real deployment.",
            file=sys.stderr,
        )
        env["SECRET_KEY"] = local_secret_key()
        env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        env.setdefault("HTTPS", "false")
        env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    env.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.production")
    return env


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m healthpress.launch.serve",
        description="Serve HealthPress with a production WSGI server and the django-tasks worker.",
    )
    parser.add_argument("--server", choices=SERVERS, default=os.environ.get("SERVER", "granian"))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", "2")),
        help="web processes (default: $WEB_WORKERS or 2)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the background-task worker (run it elsewhere)",
    )
    parser.add_argument(
        "--prepare", action="store_true", help="run migrate and collectstatic first"
    )
    args = parser.parse_args(argv)

    env = local_trial_environment(args.host)
    manage = [sys.executable, "manage.py"]
    # SIGTERM (systemd, kill), SIGHUP (the terminal closed) and Ctrl-C stop every process started
    # here, during --prepare too (children.py).
    with Children(stop_signal=signal.SIGTERM, grace=15) as children:
        if args.prepare:
            for step in (
                [*manage, "migrate", "--noinput"],
                [*manage, "collectstatic", "--noinput", "-v0"],
            ):
                done = children.run(step, env=env)
                if done is None or done.returncode or children.stopping:
                    return children.exit_status(done.returncode if done else 0)
        if not args.no_worker:
            children.start([*manage, "db_worker", "--no-reload"], env=env)
        command = server_command(args.server, args.host, args.port, args.workers)
        web = children.start(command, env=env)
        if web is None:
            return 0
        print(
            f"Serving with {args.server} ({args.workers} workers) on "
            f"http://{args.host}:{args.port}/",
            file=sys.stderr,
        )
        return children.exit_status(web.wait())


if __name__ == "__main__":
    sys.exit(main())
