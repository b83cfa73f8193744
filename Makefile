# Two commands matter: `make run` (set up and serve on SQLite with the seed glossary) and
# `make test` (set up and run the whole suite). Everything else is a step they share.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test install messages stores migrate seed lint browser benchmark clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/python scripts/compile_messages.py

# jieba's dictionary and pypinyin's readings in trie files that each process maps
# (glossary/language/words.py, readings.py): a few MB shared instead of tables built in each.
stores: install
	$(BIN)/python scripts/build_language_stores.py

# Migrations change tables only; derived rows (search keys, TBX entries) are written by the
# command, which with --if-missing costs a few queries when nothing is missing.
migrate: messages stores
	$(MANAGE) migrate --noinput
	$(MANAGE) rebuild_derived --if-missing

# The demonstration corpus of the new-terms radar goes in after the glossary, whose terms the
# radar leaves out; only into an empty corpus.
seed: migrate
	$(MANAGE) seed_glossary
	$(MANAGE) radar_load_demo

run: seed
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) create_demo_users
	@echo "Serving the glossary at http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) runserver $(HOST):$(PORT)

# Debian's Chromium and CJK fonts for the browser tests, and OmegaT for the test that loads our
# glossary files with it; installed when missing and allowed.
browser:
	@sh scripts/install-browser.sh
	@sh scripts/install-omegat.sh

# The glossary at scale beside its peers (README, "Performance at scale"); about ten minutes.
# BENCHMARK_ARGS="--concepts 10000" or "--database postgres://… --cache redis://…".
benchmark: messages stores
	$(BIN)/python -m tools.benchmark $(BENCHMARK_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The checks of the layout (import-linter: one-way dependencies, no cycles) and of the types
# (mypy over core, language, search, termcheck and exchange) run before the suite.
test: messages stores browser
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache glossary/language/pinyin-* glossary/language/words-jieba-*
