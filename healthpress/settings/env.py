"""Reading configuration from the environment, with the local defaults in docs/settings.md.

environs (marshmallow's fields) does the typing, so every setting is read the same way and a bad
value names its variable: `ADMIN_ADDRESS_FAILURES=abc` stops the start with
`ImproperlyConfigured: Environment variable "ADMIN_ADDRESS_FAILURES" invalid: Not a valid
integer.` An empty variable counts as unset.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError, ValidationError

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HEALTHPRESS_VAR_DIR") or BASE_DIR / "var")


# environs reads and types each variable; expand_vars off: a "$" in a password is just a "$".
_env = Env(expand_vars=False)


@_env.parser_for("comma_list")
def _comma_list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


@_env.parser_for("rate_limits")
def _rate_limits(value):
    """ "count/seconds" pairs, comma-separated ("5/60,30/86400"); "off", "0" or "none": none."""
    if value.strip().lower() in {"off", "0", "none"}:
        return []
    pairs = []
    for pair in filter(None, (p.strip() for p in value.split(","))):
        count, _, seconds = pair.partition("/")
        if not (count.strip().isdigit() and seconds.strip().isdigit()):
            raise ValidationError(f"{pair!r} is not count/seconds (e.g. 30/60), nor off")
        pairs.append((int(count), int(seconds)))
    return pairs


def _read(parse, name, default):
    """`parse(name)`, or `default` when the variable is unset or empty (`FOO=` in a compose file
    or an env file means "the default", as unset does). A value that does not parse stops the
    start with ImproperlyConfigured naming the variable, not a bare ValueError from deep inside."""
    if os.environ.get(name, "") == "":
        return default
    try:
        return parse(name)
    except EnvError as error:
        raise ImproperlyConfigured(f"{error} (docs/settings.md)") from error


def env_str(name, default=""):
    return _read(_env.str, name, default)


def env_bool(name, default=False):
    """true/false, yes/no, on/off, 1/0 (marshmallow's Boolean)."""
    return _read(_env.bool, name, default)


def env_int(name, default):
    return _read(_env.int, name, default)


def env_float(name, default):
    return _read(_env.float, name, default)


def env_list(name, default=()):
    """Comma-separated, blanks dropped."""
    return _read(_env.comma_list, name, list(default))


def env_rate_limits(name, default):
    """[(count, seconds), ...] from "count/seconds" pairs; `default` is written the same way."""
    return _read(_env.rate_limits, name, _rate_limits(default))


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
