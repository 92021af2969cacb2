# Two commands matter: `make serve` and `make test`. Both create .venv from requirements.lock on first use.
.DEFAULT_GOAL := help
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible builds: the same commit gives the same files.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: help serve build validate test bench bench-smoke lock schemas check-external-links clean

help:
	@echo "make serve     the site at http://127.0.0.1:8000, reloading on changes to docs/, data/ and macros/"
	@echo "make test      everything CI checks (data, renderers, strict build, built-site checks)"
	@echo "make build     strict build into site/ (runs the data validation first)"
	@echo "make validate  check the data files only"
	@echo "make bench     full benchmark run (about 2.5-3 hours on 2 quiet cores), writes data/benchmarks/<date>-<label>.yaml"
	@echo "make bench-smoke  every benchmark app and workload briefly, correctness only (part of make test)"
	@echo "make schemas   regenerate data/schemas/*.json from the models"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml"
	@echo "make check-external-links   every URL in data/ still answers (needs the internet; weekly in CI)"

$(STAMP): requirements.lock
	@[ -x $(BIN)/python ] || { PY=$$(tools/find-python) && echo "Creating $(VENV) with $$PY" && $$PY -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

serve: $(STAMP) validate
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

build: $(STAMP) validate
	$(BIN)/mkdocs build --strict --clean

validate: $(STAMP)
	@$(BIN)/python -m macros validate

# Test tools from npm (axe-core, vnu-jar, lighthouse), installed from package-lock.json. --ignore-scripts keeps
# vnu-jar from downloading a Java runtime: Java comes from the system (Debian's default-jre-headless).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser and HTML gates will be skipped (CI installs Node)"; fi

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m macros validate
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench run

bench-smoke: $(STAMP)
	$(BIN)/python -m bench smoke

schemas: $(STAMP)
	$(BIN)/python -m macros schemas

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --universal \
		--python-version 3.13 -o requirements.lock -q

check-external-links: $(STAMP)
	$(BIN)/python tools/check_external_links.py

clean:
	rm -rf site .pytest_cache
