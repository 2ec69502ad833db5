"""`make run`: Django's development server plus the background-task worker, stopped together."""

import argparse
import os
import signal
import subprocess
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m healthpress.launch.devserver",
        description="Serve HealthPress for local use, with the django-tasks worker beside it.",
    )
    parser.add_argument(
        "--port",
        default=os.environ.get("PORT", "8000"),
        help="port on 127.0.0.1 (default: $PORT or 8000)",
    )
    args = parser.parse_args(argv)
    manage = [sys.executable, "manage.py"]
    worker = subprocess.Popen([*manage, "db_worker", "--no-startup-delay"])
    try:
        return subprocess.call([*manage, "runserver", f"127.0.0.1:{args.port}"])
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    sys.exit(main())
