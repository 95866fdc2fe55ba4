# Bro: `make run` starts the demo at http://127.0.0.1:8000, `make test` lints and runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 2026
PERSONS ?= 3000

.PHONY: run test lint format migrate demo demo-national bench-list bench-matching install browser clean messages makemessages

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Bro needs Python 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	scripts/ensure-pdf-libs.sh
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The bokmål catalogue: the .mo is built from bro/locale/*/LC_MESSAGES/django.po with Babel (no GNU gettext).
messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

# Re-extract the msgids after changing strings (developers only: needs GNU gettext), then translate and `make messages`.
makemessages: $(STAMP)
	cd bro && ../$(BIN)/python ../manage.py makemessages -l nb --ignore 'static/*'

migrate: $(STAMP) messages
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python -m bro.demo --seed $(SEED) --persons $(PERSONS) --if-empty

# The demo command prints the demo logins, whether it builds the data or finds it there already.
run: demo
	@echo "Bro is starting at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

browser:
	@scripts/ensure-chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint browser messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# National-scale data for benchmarks: a separate SQLite file unless DATABASE_URL says otherwise.
demo-national: $(STAMP)
	@mkdir -p var
	DATABASE_URL=$${DATABASE_URL:-sqlite:///var/national.sqlite3} $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$${DATABASE_URL:-sqlite:///var/national.sqlite3} $(BIN)/python -m bro.demo --seed $(SEED) --persons 100000 --reset

bench-list: demo-national
	DATABASE_URL=$${DATABASE_URL:-sqlite:///var/national.sqlite3} $(BIN)/python benchmarks/bench_person_list.py

# Matching: Bro's solver against an exact MILP, GeoMatch and greedy on national instances (issue 4).
bench-matching: $(STAMP)
	$(BIN)/python benchmarks/bench_matching.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
