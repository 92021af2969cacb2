# Two commands matter: `make serve` and `make test`. Both create .venv from requirements.lock on first use.
.DEFAULT_GOAL := help
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
SITE_DIR := site
ZENSICAL_SITE_DIR := site-zensical
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible builds: the same commit gives the same files.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: help serve build build-zensical validate lint fix test bench bench-smoke lock schemas pages check-external-links check-versions clean

help:
	@echo "make serve     the site at http://127.0.0.1:8000, reloading on changes to docs/, data/ and macros/"
	@echo "make test      everything CI checks (lint, data, renderers, strict build, built-site checks)"
	@echo "make lint      ruff (lint and format check), mypy --strict, node --check on the browser scripts"
	@echo "make fix       apply ruff's fixes and its formatter (then run make test)"
	@echo "make build     strict build into site/ (data validated first, dataset exported after the pages)"
	@echo "make build-zensical  the same sources built with Zensical (Material's successor) into site-zensical/"
	@echo "make validate  check the data files only"
	@echo "make bench     full benchmark run (about 2.5-3 hours on 2 quiet cores), writes data/benchmarks/<date>-<label>.yaml"
	@echo "make bench-smoke  every benchmark app and workload briefly, correctness only (part of make test)"
	@echo "make schemas   regenerate data/schemas/*.json from the models"
	@echo "make pages     write the generated pages (docs/tasks/<id>.md) from the data"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml"
	@echo "make check-external-links   every URL in data/ still answers (needs the internet; weekly in CI)"
	@echo "make check-versions   the checked framework and package releases are still the newest on PyPI (weekly in CI)"

$(STAMP): requirements.lock
	@[ -x $(BIN)/python ] || { PY=$$(tools/find-python) && echo "Creating $(VENV) with $$PY" && $$PY -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

serve: $(STAMP) validate
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

# The pages, then the published dataset: a build step of its own, so any page builder gets it.
build: $(STAMP) validate
	$(BIN)/python -m macros pages --check
	$(BIN)/mkdocs build --strict --clean --site-dir $(SITE_DIR)
	$(BIN)/python -m macros export $(SITE_DIR)

# Zensical reads mkdocs.yml; it has no --site-dir, so site_dir comes from SITE_DIR (see mkdocs.yml), and it
# must lie inside the project. --clean drops its cache (.cache/) so every build starts fresh.
build-zensical: $(STAMP) validate
	$(BIN)/python -m macros pages --check
	rm -rf $(ZENSICAL_SITE_DIR)
	SITE_DIR=$(ZENSICAL_SITE_DIR) $(BIN)/zensical build --strict --clean
	$(BIN)/python -m macros export $(ZENSICAL_SITE_DIR)

validate: $(STAMP)
	@$(BIN)/python -m macros validate

# Test tools from npm (axe-core, vnu-jar, lighthouse), installed from package-lock.json. --ignore-scripts keeps
# vnu-jar from downloading a Java runtime: Java comes from the system (Debian's default-jre-headless).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser and HTML gates will be skipped (CI installs Node)"; fi

# Seconds, so it runs first in `make test`. Without Node the scripts are not checked (a message says so),
# and under CI=true that fails, like the gates.
JS_FILES := $(wildcard docs/javascripts/*.js)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@if command -v node >/dev/null 2>&1; then \
		for f in $(JS_FILES); do node --check "$$f" || exit 1; done; echo "node --check: $(words $(JS_FILES)) scripts OK"; \
	elif [ "$$CI" = true ]; then echo "node not found: cannot check docs/javascripts/*.js"; exit 1; \
	else echo "node not found: docs/javascripts/*.js not checked (apt-get install nodejs)"; fi

fix: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) $(NODE_STAMP)
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m macros validate
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench run

bench-smoke: $(STAMP)
	$(BIN)/python -m bench smoke

schemas: $(STAMP)
	$(BIN)/python -m macros schemas

pages: $(STAMP)
	$(BIN)/python -m macros pages

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --universal \
		--python-version 3.13 -o requirements.lock -q

check-external-links: $(STAMP)
	$(BIN)/python tools/check_external_links.py

check-versions: $(STAMP)
	$(BIN)/python tools/check_versions.py

clean:
	rm -rf site $(ZENSICAL_SITE_DIR) .cache .pytest_cache
