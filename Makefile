# Gilde: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test install install-test frontend lint typecheck translations security unit pg redis browser wheel bench messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files: a second `make demo` or `make test` installs nothing when pyproject.toml and the
# npm lock file have not changed.
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed
VENDOR_STAMP := src/gilde/static/vendor/versions.json

install: $(INSTALLED)
install-test: $(INSTALLED_TEST)
frontend: $(VENDOR_STAMP)

$(INSTALLED): $(BIN)/python pyproject.toml setup.py $(VENDOR_STAMP)
	$(BIN)/pip install --quiet -e .
	touch $@

$(INSTALLED_TEST): $(BIN)/python pyproject.toml setup.py $(VENDOR_STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(INSTALLED)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# htmx, Pico CSS and Chart.js into gilde/static/vendor, where the pages and a built wheel read them.
$(VENDOR_STAMP): $(NODE_STAMP) src/gilde/core/frontend.py
	$(PYTHON) src/gilde/core/frontend.py

demo: install
	DEBUG=true $(BIN)/gilde demo --size $${SIZE:-medium} --kind $${KIND:-organisation}

test: install-test lint typecheck translations security unit pg redis browser wheel

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck:
	$(BIN)/mypy

# Every message the code and templates ask for has a Dutch translation, and none is fuzzy.
translations:
	$(BIN)/gilde messages_check --extract

# No high-severity finding from bandit; no dependency with a known vulnerability (pip-audit asks
# PyPI's vulnerability data; the API's schema tests with schemathesis run in `unit`).
security:
	$(BIN)/bandit -q -r src -x '*/migrations/*' --severity-level high
	$(BIN)/pip-audit --skip-editable --progress-spinner off

unit:
	$(BIN)/pytest -m "not browser" -n 2

# The database tests again on PostgreSQL: required under CI, skipped elsewhere when no server answers.
pg:
	@if [ -n "$$GILDE_TEST_DATABASE_URL" ]; then \
	  DATABASE_URL=$$GILDE_TEST_DATABASE_URL $(BIN)/pytest -m "not browser" -n 2 tests --ignore=tests/seating --ignore=tests/interchange --ignore=tests/names; \
	elif [ "$$CI" = "true" ]; then echo "CI needs GILDE_TEST_DATABASE_URL (PostgreSQL)"; exit 1; \
	else echo "GILDE_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

# The job tests again with the queue on Redis (RQ), against the server on this machine: required
# under CI, skipped elsewhere when none answers. Database 15, emptied first.
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
redis:
	@if $(BIN)/python -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)').flushdb()" 2>/dev/null; then \
	  GILDE_TASKS_BACKEND=$(REDIS_TEST_URL) $(BIN)/pytest tests/core/test_jobs.py tests/core/test_worker_kill.py; \
	elif [ "$$CI" = "true" ]; then echo "CI needs a Redis server at $(REDIS_TEST_URL)"; exit 1; \
	else echo "No Redis at $(REDIS_TEST_URL): the job tests on Redis skipped"; fi

browser:
	$(BIN)/pytest -m browser

# The wheel installs into an empty environment and serves styled pages without node_modules.
wheel: install-test
	.ci/wheel-check $(BIN)/python

bench:
	$(BIN)/python bench/web/run.py

# The main pages, desktop and phone, in Dutch, from a fresh small demo: docs/screenshots/*.png.
screenshots: install-test
	$(BIN)/python scripts/screenshots.py

messages:
	cd src/gilde && ../../$(BIN)/gilde makemessages -l nl --no-obsolete && ../../$(BIN)/gilde compilemessages

clean:
	rm -rf $(VENV) node_modules data src/gilde/static/vendor dist build .pytest_cache .mypy_cache .ruff_cache
