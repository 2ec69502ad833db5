# HealthPress: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-sqlite test-postgres lint bench screenshot install install-test clean

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
	$(BIN)/python -m healthpress.core.devserver --port $(PORT)

lint: install-test
	$(BIN)/ruff check .

test: install-test lint test-sqlite test-postgres

test-sqlite: install-test
	env -u DATABASE_URL $(BIN)/python -m pytest

# Runs the same suite on PostgreSQL when one answers; says so plainly when it does not.
test-postgres: install-test
	@if $(BIN)/python -m healthpress.core.dbcheck "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest; \
	else \
		echo "SKIPPED PostgreSQL run: no PostgreSQL answers at $(PG_TEST_URL)"; \
	fi

# Benchmarks are not tests: each bench/bench_*.py prints its figures and never fails on timing.
bench: install-test
	@set -e; for script in bench/bench_*.py; do \
		[ -e "$$script" ] || { echo "no benchmarks yet"; break; }; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done

screenshot: install-test
	SCREENSHOT_DIR=docs $(BIN)/python -m pytest tests/browser -k screenshot -q

clean:
	rm -rf $(VENV) static_collected .pytest_cache .ruff_cache
