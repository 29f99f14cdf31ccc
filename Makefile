# metalloop: two commands on a fresh machine.
#   make run   set up .venv, migrate var/metalloop.sqlite3, load the demo network, serve on :8000
#   make test  set up .venv with dev tools and run ruff, import-linter, mypy and pytest
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12 or newer; take the first such interpreter found (PATH, then pyenv).
PYTHON ?= $(shell bin/find-python)
export METALLOOP_VAR_DIR ?= $(CURDIR)/var

.PHONY: help run test lint pytest setup setup-dev static assets catalogs lock clean bench bench-full

help:
	@echo "make run    serve metalloop with the demo network on http://127.0.0.1:8000"
	@echo "make test   run ruff, import-linter, mypy and the whole pytest suite"
	@echo "make bench  run the benchmarks (prints JSON lines; matching up to 10k listings)"
	@echo "make bench-full  the same with matching at 100k and the dense LP at 5k (slow)"
	@echo "make lock   re-lock requirements/*.txt from pyproject.toml (needs the registry)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "metalloop needs Python 3.12 or newer (Django 6); none found" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# The project itself is installed editable (for the `metalloop` command) with the locked
# setuptools of requirements/build.txt, never an unpinned one.
$(VENV)/.base-installed: requirements/base.txt requirements/build.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/build.txt -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/build.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/build.txt -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.base-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

catalogs: | $(VENV)/.base-installed
	$(BIN)/python -m metalloop.tools.compile_catalogs

static: assets catalogs
	$(BIN)/metalloop collectstatic --noinput --verbosity 0

setup: $(VENV)/.base-installed static

setup-dev: $(VENV)/.dev-installed static

run: setup
	$(BIN)/metalloop serve --setup

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	METALLOOP_DEBUG=1 $(BIN)/mypy metalloop

pytest: setup-dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)
	@echo "== the database tests again, on PostgreSQL =="
	$(BIN)/python -m pytest -n 2 --dist loadgroup --postgres -m "not browser" --ignore=tests/core $(PYTEST_ARGS)

test: lint pytest

bench: setup-dev
	@for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done
	$(BIN)/python benchmarks/matching.py --quick

bench-full: setup-dev
	@for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done
	$(BIN)/python benchmarks/matching.py

lock:
	$(BIN)/uv pip compile requirements/build.in --generate-hashes --universal --python-version 3.12 -o requirements/build.txt -q
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.12 -o requirements/base.txt -q
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.12 -o requirements/dev.txt -q

clean:
	rm -rf $(VENV) node_modules var/static
