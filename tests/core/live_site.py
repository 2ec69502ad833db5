"""A demo site on its own PostgreSQL database, for tests that run real server processes."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, "manage.py"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_up(base, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if get(base + "/healthz")[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not come up within {seconds} s")


def postgres(*command):
    subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)


def demo_site(name, tmp_path, db_port=5432, **extra_env):
    """Create database `name`, migrate it and load the demo; returns the production-settings
    environment for server processes. Drop the database with drop_site(name)."""
    postgres("dropdb", "--if-exists", name)
    postgres("createdb", name)
    env = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="healthpress.settings.production",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{db_port}/{name}",
        SECRET_KEY=f"{name}-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        # load_demo gives the default Site this address; the tests read canonical links on it.
        BASE_URL="http://localhost",
        HTTPS="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        HEALTHPRESS_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_LEVEL="CRITICAL",
        **extra_env,
    )
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    # Production settings serve hashed static files: the manifest must exist before any page.
    subprocess.run([*MANAGE, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*MANAGE, "load_demo", "--no-admin"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def drop_site(name):
    postgres("dropdb", "--if-exists", "--force", name)


def stop(process):
    process.terminate()
    process.wait(timeout=15)
