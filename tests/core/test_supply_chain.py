"""Supply chain (docs/security.md): every install comes from a hash-checked lock that matches
pyproject.toml, and `make audit` fails when it could not check a package."""

import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.own_stack  # reads files and make -n: no database, no cache
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"
LOCKS = [RUNTIME_LOCK, TEST_LOCK]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
FROM_PYPROJECT = "healthpress (pyproject.toml)"
SHA256 = re.compile(r"--hash=sha256:[0-9a-f]{64}$")


class Pin:
    def __init__(self, text):
        spec, _, marker = text.partition(";")
        self.name, equals, version = spec.strip().partition("==")
        self.exact = bool(equals) and re.fullmatch(r"[A-Za-z0-9._-]+", self.name) is not None
        self.name = canonicalize_name(self.name)
        self.version = Version(version.strip()) if self.exact else None
        self.marker = Marker(marker) if marker.strip() else None
        self.hashes = []
        self.from_pyproject = False

    def key(self):
        return self.name, self.version, str(self.marker)


def read_lock(path):
    """The lock's pins, each with its hashes and whether uv says pyproject.toml asked for it."""
    pins, pin, logical = [], None, ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if pin is not None and FROM_PYPROJECT in stripped:
                pin.from_pyproject = True
            continue
        if not stripped:
            continue
        logical += stripped.removesuffix("\\").strip() + " "
        if stripped.endswith("\\"):
            continue
        first, *options = logical.split(" --")
        pin = Pin(first)
        pin.hashes = ["--" + option.strip() for option in options]
        pins.append(pin)
        logical = ""
    assert not logical, f"{path.name} ends inside a continued line"
    return pins


def pyproject_requirements(lock):
    """What pyproject.toml asks for that this lock must pin: the project's dependencies, the build
    backend, and for the test lock the test extra."""
    texts = PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
    if lock == TEST_LOCK:
        texts = texts + PYPROJECT["project"]["optional-dependencies"]["test"]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_every_pin_is_exact_and_hash_checked(lock):
    pins = read_lock(lock)
    assert len(pins) > 20
    for pin in pins:
        assert pin.exact, f"{lock.name}: {pin.name} is not pinned with =="
        assert pin.hashes, f"{lock.name}: {pin.name} has no hash"
        for option in pin.hashes:
            assert SHA256.match(option), f"{lock.name}: {pin.name}: {option!r} is not a sha256 hash"


def test_both_locks_pin_the_same_versions():
    """Each runtime pin is in the test lock at the same version, under the same marker or none:
    a test tool may need unconditionally what production needs only on some platforms."""
    tested = {pin.key() for pin in read_lock(TEST_LOCK)}
    missing = {
        pin.key()
        for pin in read_lock(RUNTIME_LOCK)
        if pin.key() not in tested and (pin.name, pin.version, "None") not in tested
    }
    assert missing == set(), "requirements.lock pins what the test lock does not"


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_everything_pyproject_asks_for_is_pinned_inside_its_range(lock):
    pins = read_lock(lock)
    for requirement in pyproject_requirements(lock):
        name = canonicalize_name(requirement.name)
        versions = [pin.version for pin in pins if pin.name == name]
        assert versions, f"{lock.name} does not pin {name}: run `make lock`"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock.name} pins {name}=={version}, outside pyproject.toml's "
                f"{requirement.specifier}: run `make lock`"
            )


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_the_lock_was_made_from_this_pyproject(lock):
    """uv notes 'via healthpress (pyproject.toml)' on what the project asked for when the lock was
    made: a dependency added to or dropped from pyproject.toml since then shows here."""
    asked_then = {pin.name for pin in read_lock(lock) if pin.from_pyproject}
    build = {canonicalize_name(Requirement(t).name) for t in PYPROJECT["build-system"]["requires"]}
    asked_now = {canonicalize_name(r.name) for r in pyproject_requirements(lock)} - build
    assert asked_then == asked_now, f"{lock.name} is stale: run `make lock`"


def make_dry_run(*args):
    """The commands `make` would run, without running them."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("target", "stamp", "lock"),
    [("install", ".installed", RUNTIME_LOCK), ("install-test", ".installed-test", TEST_LOCK)],
)
def test_make_installs_only_from_the_hash_checked_lock(target, stamp, lock):
    # The install runs again when the lock changes (make's own database: the stamp's prerequisites).
    rules = [line for line in make_dry_run("-p", target) if line.startswith(f".venv/{stamp}:")]
    assert len(rules) == 1 and lock.name in rules[0].split(), rules
    installs = [line for line in make_dry_run("-B", target) if "pip install" in line]
    assert any(f"--require-hashes -r {lock.name}" in line for line in installs), installs
    for line in installs:
        words = shlex.split(line)
        if "--require-hashes" in words:
            assert words[words.index("--require-hashes") + 1 :][:2] in (
                ["-r", "requirements.lock"], ["-r", "requirements-test.lock"],
            ), line
        else:
            # The project itself: nothing from the index, not even a build backend.
            assert {"--no-deps", "--no-build-isolation", "-e"} <= set(words), line
            assert words[-1] == ".", line


def audit_command(*locks):
    lines = [line for line in make_dry_run("audit", f"AUDIT_LOCKS={' '.join(locks)}")
             if "pip_audit" in line]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])


def test_make_audit_is_strict_and_reads_both_locks():
    words = audit_command("requirements.lock", "requirements-test.lock")
    assert "--strict" in words
    assert "--require-hashes" in words
    assert words[-4:] == [
        "--requirement", "requirements.lock", "--requirement", "requirements-test.lock",
    ]
    # The default, as an operator types it.
    assert make_dry_run("audit")[-1] == shlex.join(words)


def test_make_audit_fails_on_a_package_it_could_not_check(tmp_path):
    """Runs the Makefile's own command on a lock holding one hashed pin of a name PyPI does not
    have. pip-audit skips what it cannot look up; without --strict that passes silently."""
    lock = tmp_path / "unknown.lock"
    lock.write_text(
        "healthpress-no-such-package-for-audit-tests==1.0 \\\n"
        "    --hash=sha256:" + "ab" * 32 + "\n"
    )
    strict = audit_command(str(lock))
    interpreter = ROOT / strict[0]  # the Makefile's .venv/bin/python
    if not interpreter.exists() or subprocess.run(
        [interpreter, "-c", "import pip_audit"], capture_output=True, timeout=60
    ).returncode:
        pytest.skip(f"pip-audit is not installed in {strict[0]}'s environment (make install-test)")
    loose = [word for word in strict if word != "--strict"]

    def run(command):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout + done.stderr

    strict_code, strict_output = run(strict)
    loose_code, loose_output = run(loose)
    assert strict_code != 0, strict_output
    if "could not be audited" in loose_output:
        # PyPI answered (no such package): only --strict turns the skip into a failure.
        assert loose_code == 0, loose_output
        assert "could not be audited" in strict_output
    else:
        # No answer at all (offline): pip-audit stops with an error either way, never passes.
        assert loose_code != 0, loose_output
