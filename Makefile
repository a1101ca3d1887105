# Sleutelnet: `make run` starts the demo, `make test` runs every test. Nothing else is needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SN     := $(BIN)/sleutelnet
PORT   ?= 8000
export PORT

.PHONY: run test check install install-test messages openapi permissions bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e . 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import sleutelnet, django" || (echo "Installing Sleutelnet failed." >&2; exit 1)
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]" 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import pytest, pytest_django, factory, playwright" || (echo "Installing the test dependencies failed." >&2; exit 1)
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: install, migrate the SQLite database, load the demo region once, start web server + worker
run: install
	@mkdir -p var/static
	$(SN) migrate --noinput -v0
	$(SN) load_demo
	@echo "Sleutelnet runs on http://localhost:$(PORT)/  (Ctrl-C stops the web server and the worker)"
	$(SN) serve --port $(PORT)

## test: the whole suite on SQLite, then on PostgreSQL when a server answers
test: install-test
	@bash scripts/test.sh

## check: ruff, makemigrations --check, check --deploy in production mode, bandit (also run by `make test`)
check: install-test
	@bash scripts/check.sh

## messages: update the Dutch/English translation files (templates, e-mail .txt, Python) and compile them
messages: install
	cd src/sleutelnet && ../../$(SN) makemessages -l nl -l en -l ar -l fa -l ti -l tr --no-obsolete --extension html,txt,py --ignore "demo/*" && ../../$(SN) compilemessages

## openapi: regenerate the committed OpenAPI document
openapi: install
	$(SN) export_openapi

## permissions: regenerate docs/permissions.md from the permission matrix
permissions: install
	$(SN) permissions_matrix

## bench: run the benchmarks; figures go to bench/results/ and bench/README.md
bench: install-test
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test,bench]" 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
