# LawQA — the one entry point. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test check fmt bench venv data clean

$(BIN)/activate: pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/activate

venv: $(BIN)/activate

## setup: everything `run` does except serving (install, migrate, load statutes + demo Q&A once, train, index)
setup: venv
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) setup_demo

## run: set up, then serve http://$(HOST):$(PORT) with the background worker and the search
## indexer (`manage.py serve`); Ctrl-C stops all three
run: setup
	@echo "法问 LawQA: http://$(HOST):$(PORT)/  (Ctrl-C 停止)"
	$(MANAGE) serve $(HOST):$(PORT)

## test: the whole suite (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL)
test: venv
	$(BIN)/python -m pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

## check: lint, format check, Django checks, missing migrations
check: venv
	$(BIN)/ruff check lawqa scripts bench
	$(BIN)/ruff format --check lawqa scripts bench
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

fmt: venv
	$(BIN)/ruff check --fix lawqa scripts bench
	$(BIN)/ruff format lawqa scripts bench

## bench: benchmarks (see bench/README.md); needs `make setup`
bench: setup
	$(BIN)/python bench/run_all.py

## data: rebuild the bundles under data/ from ../shared/data (maintainers only)
data: venv
	for s in scripts/bundle_*.py; do $(BIN)/python $$s || exit 1; done

clean:
	rm -rf var
