# ANTT Teams: the README's two commands (`make run`, `make test`) and a few helpers.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# A Python >= 3.12: python3.13 / python3.12 on PATH first, then pyenv's installed versions.
# (pyenv shims for versions that are installed but not selected fail the version check and are
# skipped, so the loop falls through to the interpreter inside ~/.pyenv/versions.)
PYENV_DIR := $(or $(PYENV_ROOT),$(HOME)/.pyenv)
FOUND_PYTHON := $(shell for c in python3.13 python3.12 \
	$$(ls -d $(PYENV_DIR)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$c; break; fi; done)

# Python keeps its compiled modules (__pycache__/, ignored by git) even where the environment
# says not to: every process the suite starts (two workers, PDF render processes, commands)
# would otherwise compile the project from source again, 0.2–0.3 s of CPU each.
unexport PYTHONDONTWRITEBYTECODE

# Two workers: this machine has two cores (pytest-xdist); `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2
# Each run ends with its ten slowest tests, to see where the time goes.
DURATIONS ?= --durations=10

PDF_PACKAGES     := fonts-liberation2 libharfbuzz-subset0
BROWSER_PACKAGES := chromium-headless-shell poppler-utils

.PHONY: help run test test-sqlite test-postgres install lock lint format bench demo-reset \
	pdf-deps browser-deps messages clean backup-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	@if [ -z "$(FOUND_PYTHON)" ]; then \
		echo "ANTT Teams needs Python >= 3.12 and none was found (python3.13, python3.12, pyenv)."; \
		echo "Install one, e.g. 'pyenv install 3.12' or 'apt-get install python3.12 python3.12-venv'."; \
		exit 1; fi
	@echo "Creating $(VENV) with $(FOUND_PYTHON)"
	$(FOUND_PYTHON) -m venv $(VENV)

# Exact versions with their hashes (requirements/dev.txt = production + development tools),
# then the project itself, whose dependencies are all in the lock already.
$(STAMP): pyproject.toml requirements/dev.txt | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(STAMP) ## create the virtual environment and install the project

# The locks are written by uv from pyproject.toml, for every platform and Python >= 3.12.
# Versions already in a lock are kept; `make lock UPGRADE=--upgrade` moves them all to the
# newest allowed, `UPGRADE="--upgrade-package django"` just one.
UPGRADE ?=
LOCK_FLAGS = --quiet --generate-hashes --universal --python-version 3.12 \
	--custom-compile-command "make lock" $(UPGRADE)
lock: install ## refresh requirements/prod.txt and dev.txt after changing pyproject.toml
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements/prod.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -c requirements/prod.txt $(LOCK_FLAGS) \
		-o requirements/dev.txt

# Debian packages the app uses outside Python; installed when we may (root + apt), otherwise
# we say what is missing and go on (PDFs fall back to DejaVu, browser tests are skipped).
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages:$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 \
		|| (apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1) \
		|| echo "warning: could not install$$missing"; \
	else echo "note: missing Debian packages:$$missing (sudo apt-get install$$missing)"; fi
endef

pdf-deps:
	$(call apt_ensure,$(PDF_PACKAGES))

browser-deps:
	$(call apt_ensure,$(BROWSER_PACKAGES))

run: install pdf-deps ## migrate the SQLite database, load units and demo data, serve on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_units
	$(PY) manage.py load_parameters
	$(PY) manage.py seed_demo
	@# The worker renders province-wide documents in the background; it stops with the server.
	@$(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

demo-reset: install ## rebuild the demo data from scratch
	$(PY) manage.py seed_demo --reset

test: install pdf-deps browser-deps test-sqlite test-postgres ## the whole suite on SQLite, then its database tests on PostgreSQL when reachable
# Within `make test`, the PostgreSQL run leaves out the tests that use no database: they have
# just passed on SQLite (tests/conftest.py `--database-tests-only`).
test: PG_PYTEST_ARGS = --database-tests-only

# Exit code 5 means "no tests collected", which is not a failure.
test-sqlite: install
	@echo "== Test suite on SQLite"
	DATABASE_URL=sqlite://:memory: $(PY) -m pytest $(PYTEST_ARGS) $(DURATIONS) || [ $$? -eq 5 ]

test-postgres: install
	@if url=$$($(PY) .ci/postgres_url.py); then \
		echo "== Test suite on PostgreSQL ($$url)"; \
		DATABASE_URL=$$url $(PY) -m pytest $(PYTEST_ARGS) $(PG_PYTEST_ARGS) $(DURATIONS) || [ $$? -eq 5 ]; \
	else echo "== PostgreSQL not reachable (DATABASE_URL or 127.0.0.1:5432): PostgreSQL run skipped"; fi

lint: install ## ruff, mypy (held to its baseline), import-linter's layer contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/typecheck.py
	$(VENV)/bin/lint-imports

format: install ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

backup-check: install ## pg_dump -Fc / pg_restore round trip on throw-away PostgreSQL databases
	bash scripts/backup_restore_check.sh

bench: install pdf-deps ## benchmarks: print figures, assert nothing
	$(PY) bench/run.py

messages: install ## refresh and compile translations (needs gettext)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean: ## remove the virtual environment and local databases
	rm -rf $(VENV) db.sqlite3 .pytest_cache
