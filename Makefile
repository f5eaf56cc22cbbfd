# Quant-Trader: the two commands are `make up` and `make test` (README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYS := $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed-$(shell cat requirements/base.txt requirements/dev.txt requirements/lock.txt | sha1sum | cut -c1-12)
NPM_STAMP := frontend/node_modules/.installed-$(shell sha1sum frontend/package-lock.json | cut -c1-12)
SPA_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)
STRAT_NPM_STAMP := strategies/node_modules/.installed-$(shell sha1sum strategies/package-lock.json | cut -c1-12)
STRATEGY_SOURCES := strategies/build.mjs $(shell find strategies/sdk strategies/reference strategies/examples -type f 2>/dev/null)

.PHONY: help up down status logs test test-backend test-frontend test-e2e chromium lint fmt bench services venv frontend strategies

help:
	@echo "make up      start the platform (services, migrations, web, workers) in the background"
	@echo "make down    stop what make up started"
	@echo "make status  list components and their health"
	@echo "make logs    tail the logs"
	@echo "make test    lint + the whole test suite against real PostgreSQL, Redis and NATS, + the browser e2e run"
	@echo "make test-e2e  only the browser run (starts and stops the stack; restarts a running one)"
	@echo "make bench   run the benchmarks, write bench/results.json and docs/benchmarks.md"
	@echo "make strategies  compile the WebAssembly strategies into strategies/build/ (make up and make test do)"

$(VENV_STAMP): requirements/base.txt requirements/dev.txt requirements/lock.txt
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.txt -c requirements/lock.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(VENV_STAMP)

$(NPM_STAMP): frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund --loglevel=error
	@rm -f frontend/node_modules/.installed-* && touch $@

frontend/dist/index.html: $(NPM_STAMP) $(SPA_SOURCES)
	npm --prefix frontend run build --silent

frontend: frontend/dist/index.html

# WebAssembly strategies (ABI v1): the AssemblyScript reference catalogue, the SDK's test
# module, and the C examples, all into strategies/build/.
$(STRAT_NPM_STAMP): strategies/package-lock.json
	npm --prefix strategies ci --no-audit --no-fund --loglevel=error
	@rm -f strategies/node_modules/.installed-* && touch $@

strategies/build/.built: $(STRAT_NPM_STAMP) $(STRATEGY_SOURCES)
	npm --prefix strategies run build --silent
	@if [ -x strategies/examples/c/build.sh ]; then strategies/examples/c/build.sh; fi
	@touch $@

strategies: strategies/build/.built

services: venv
	$(PY) -m infra.local.stack services

up: venv frontend strategies
	$(PY) -m infra.local.stack up

down:
	@if [ -x $(PY) ]; then $(PY) -m infra.local.stack down; else echo "nothing to stop"; fi

status: venv
	@$(PY) -m infra.local.stack status

logs: venv
	@$(PY) -m infra.local.stack logs

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test-backend: services strategies
	$(PY) -m pytest

test-frontend: $(NPM_STAMP)
	npm --prefix frontend test --silent

# The browser run needs Debian's Chromium (playwright-core drives it; nothing is downloaded).
chromium:
	@command -v chromium >/dev/null || apt-get install -y -qq chromium >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
		{ echo "Chromium is missing and apt-get could not install it (apt-get install chromium)"; exit 1; }

# Starts the stack as `make up` does, runs frontend/e2e in headless Chromium, stops the stack.
test-e2e: venv frontend strategies chromium
	$(PY) -m infra.local.stack e2e

test: lint test-backend test-frontend test-e2e

bench: services
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk not installable: the API benchmark falls back to a Python client"
	$(PY) -m bench.run
