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
.PHONY: run serve test test-sqlite test-postgres lint bench bench-search screenshot install install-test clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "HealthPress needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python -m healthpress.launch.devserver --port $(PORT)

serve: install
	$(BIN)/python -m healthpress.launch.serve --prepare --port $(PORT)

# ruff, and the app layers (pyproject.toml [tool.importlinter]): a wrong-way import fails here.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: install-test lint test-sqlite test-postgres

test-sqlite: install-test
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest

# The production stack: the same suite on PostgreSQL + Redis when they answer; says so plainly
# when they do not.
test-postgres: install-test
	@if ! $(BIN)/python -m healthpress.launch.dbcheck "$(PG_TEST_URL)"; then \
		echo "SKIPPED PostgreSQL run: no PostgreSQL answers at $(PG_TEST_URL)"; \
	elif $(BIN)/python -m healthpress.launch.dbcheck "$(REDIS_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(BIN)/python -m pytest; \
	else \
		echo "PostgreSQL run without Redis: none answers at $(REDIS_TEST_URL)"; \
		env -u REDIS_URL DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest; \
	fi

# Benchmarks are not tests: each bench/bench_*.py prints its figures and never fails on timing.
# The search benchmark imports a corpus of 17,000+ articles, so it has a target of its own.
bench: install-test
	@set -e; for script in bench/bench_*.py; do \
		[ "$$script" = bench/bench_search.py ] && continue; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done

bench-search: install-test
	$(BIN)/python bench/bench_search.py $(BENCH_SEARCH_ARGS)

screenshot: install-test
	SCREENSHOT_DIR=docs $(BIN)/python -m pytest tests/browser -k screenshot -q

clean:
	rm -rf $(VENV) static_collected .pytest_cache .ruff_cache
