"""Reading configuration from the environment, with the local defaults in docs/settings.md."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HEALTHPRESS_VAR_DIR", BASE_DIR / "var"))


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def private_dir(path):
    """`path` as a directory only the service's user can enter (0700), created if missing: var/
    holds the database, keys, sessions and the emails of commenters and subscribers."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def private_file(path):
    """Create `path` empty with mode 0600 if missing, or take group and other bits off it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    return path


def stored_secret(path, length):
    """A random secret created once at `path` (mode 0600) and read back on every later call.

    O_EXCL: two processes starting at once must not write two different secrets, and a stored
    one is never overwritten.
    """
    if path.exists():
        return path.read_text().strip()
    private_dir(path.parent)
    secret = secrets.token_urlsafe(length)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def local_secret_key():
    """A key generated once and kept in var/, so sessions survive restarts on a laptop.

    Production settings never call this: there SECRET_KEY must come from the environment.
    """
    return stored_secret(VAR_DIR / "secret_key", 50)
