# HealthPress: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/14
MANAGE := $(BIN)/python manage.py

# serve: production server (see `python -m healthpress.launch.serve --help`)
.PHONY: run serve test test-sqlite test-postgres lint bench bench-search bench-scale screenshot install install-test lock audit clean

# Installs come from the hash-checked locks beside pyproject.toml (pip, setuptools included), so
# nothing unhashed is downloaded; the project itself goes in editable, without its dependencies.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "HealthPress needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# migrate, load_demo, the tasks they queue, then the server and the worker; the admin's address
# and password come last (see `python -m healthpress.launch.devserver --help`)
run: install
	$(BIN)/python -m healthpress.launch.devserver --demo --port $(PORT)

serve: install
	$(BIN)/python -m healthpress.launch.serve --prepare --port $(PORT)

# ruff, and the app layers (pyproject.toml [tool.importlinter]): a wrong-way import fails here.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# Two passes (docs/testing.md): the whole suite on SQLite, then on PostgreSQL + Redis without the
# browser tests and the `own_stack` ones, which do not depend on the pass's database (the SQLite
# pass ran them). Each pass spreads its tests over TEST_WORKERS processes (pytest-xdist; 0: one).
TEST_WORKERS ?= 2
PYTEST = $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
PG_PASS_SKIPS := not browser and not own_stack

# Both passes run even when the first fails; the last line names the pass(es) that failed.
test: install-test lint
	@failed=""; \
	$(MAKE) --no-print-directory test-sqlite || failed="$$failed SQLite"; \
	$(MAKE) --no-print-directory test-postgres || failed="$$failed PostgreSQL"; \
	if [ -n "$$failed" ]; then echo "make test FAILED in the pass(es):$$failed"; exit 1; fi; \
	echo "make test: both passes passed"

test-sqlite: install-test
	@echo "== SQLite pass: every test, browser tests included ($(TEST_WORKERS) workers)"
	env -u DATABASE_URL -u REDIS_URL $(PYTEST)

# The production stack: the same suite on PostgreSQL + Redis when they answer; says so plainly
# when they do not.
test-postgres: install-test
	@echo "== PostgreSQL pass: every test but the browser and own_stack ones, which the SQLite pass ran ($(TEST_WORKERS) workers)"
	@if ! $(BIN)/python -m healthpress.launch.dbcheck "$(PG_TEST_URL)"; then \
		echo "SKIPPED PostgreSQL run: no PostgreSQL answers at $(PG_TEST_URL)"; \
	elif $(BIN)/python -m healthpress.launch.dbcheck "$(REDIS_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(PYTEST) -m "$(PG_PASS_SKIPS)"; \
	else \
		echo "PostgreSQL run without Redis: none answers at $(REDIS_TEST_URL)"; \
		env -u REDIS_URL DATABASE_URL="$(PG_TEST_URL)" $(PYTEST) -m "$(PG_PASS_SKIPS)"; \
	fi

# Benchmarks are not tests: each bench/bench_*.py prints its figures and never fails on timing.
# The search benchmark imports a corpus of 17,000+ articles, so it has a target of its own.
bench: install-test
	@set -e; for script in bench/bench_*.py; do \
		case "$$script" in bench/bench_search.py|bench/bench_scale.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done

bench-search: install-test
	$(BIN)/python bench/bench_search.py $(BENCH_SEARCH_ARGS)

# A 100,000-article site from the MedQuAD corpus, built once under var/bench-scale/ (and in its own
# PostgreSQL database) and reused; BENCH_SCALE_ARGS="--count 5000" for a smaller one.
bench-scale: install-test
	$(BIN)/python bench/bench_scale.py $(BENCH_SCALE_ARGS)

screenshot: install-test
	SCREENSHOT_DIR=docs $(BIN)/python -m pytest tests/browser -k screenshot -q

# Maintainers only, with PyPI reachable: re-resolve both locks from pyproject.toml's ranges (uv:
# one resolution for every platform and Python >= 3.11, with the hash of every file). Pins already
# in the locks are kept; `make lock UV_ARGS=--upgrade` (or `UV_ARGS="-P django"`) moves them on.
# The test lock is resolved first and bounds the runtime one, so both pin the same versions. uv
# itself is not in the locks (a maintainer's tool, not needed to install); review the locks' diff.
UV_ARGS ?=
LOCK_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(UV_ARGS)
LOCK_TOOLS = 'pip>=25.3' 'setuptools>=78.1.1'
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'
	printf '%s\n' $(LOCK_TOOLS) | $(LOCK_COMPILE) pyproject.toml --extra test - -o requirements-test.lock
	printf '%s\n' $(LOCK_TOOLS) | $(LOCK_COMPILE) pyproject.toml - -c requirements-test.lock -o requirements.lock

# Known vulnerabilities in every locked release (pip-audit, PyPI's advisory data). Strict: a package
# it could not check fails the audit. Needs the internet: for operators and a scheduled job, not CI
# (docs/security.md). Not part of `make test`.
AUDIT_LOCKS ?= requirements.lock requirements-test.lock
audit: install-test
	$(BIN)/python -m pip_audit --strict --require-hashes --disable-pip --progress-spinner off $(addprefix --requirement ,$(AUDIT_LOCKS))

clean:
	rm -rf $(VENV) static_collected .pytest_cache .ruff_cache
