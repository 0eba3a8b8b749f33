# Newsroom: `make run` serves the CMS on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The lock files pin every package with its hashes; `make lock` writes them from pyproject.toml.
UV_VERSION := 0.13.9
COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--quiet --custom-compile-command "make lock"

.PHONY: install lock run test lint format check-migrations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed

# After a change to the dependencies in pyproject.toml: keeps every pin it can, resolves the rest.
# `make lock UPGRADE=1` moves every package to the newest release its range allows.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(COMPILE) $(if $(UPGRADE),--upgrade) -o requirements.lock
	$(COMPILE) $(if $(UPGRADE),--upgrade) --extra test -c requirements.lock -o requirements-dev.lock

# The development server runs in debug mode, the only mode that accepts the public development key.
run: export DJANGO_DEBUG := 1
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_interview
	$(BIN)/python manage.py create_editor editor
	@echo "Admin: http://$(HOST)/admin/   API: http://$(HOST)/api/v1/   Docs: http://$(HOST)/api/docs/"
	@# The worker makes photo renditions, fires webhooks and publishes scheduled stories; it stops with the server.
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-migrations: export DJANGO_DEBUG := 1
check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
