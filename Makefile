# Grassroots — the menu. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export GRASSROOTS_VAR_DIR ?= $(CURDIR)/var

.DEFAULT_GOAL := help
.PHONY: help install run demo test test-fast test-postgres prod-local e2e smoke fuzz-api lint format messages check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

run: install ## start the app with demo data on SQLite at http://127.0.0.1:$(PORT)
	DEBUG=1 OTP_REQUIRED=$${OTP_REQUIRED:-0} $(PY) manage.py migrate --noinput
	DEBUG=1 OTP_REQUIRED=$${OTP_REQUIRED:-0} $(PY) manage.py load_demo
	DEBUG=1 OTP_REQUIRED=$${OTP_REQUIRED:-0} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install ## run the whole test suite on SQLite: unit and integration tests, then the browser tests
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not e2e and not production"
	$(PY) -m pytest -q -n 2 --dist loadfile -m e2e

test-postgres: install ## the suite on the production profile: PostgreSQL (TEST_DATABASE_URL), S3 (a local moto server), Redis cache; and a real Celery worker
	$(PY) .ci/production_profile.py run -- env TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(PY) -m pytest -q -n 2 --dist loadfile -m "not e2e"

prod-local: install ## the production profile on this machine: PostgreSQL, Redis, S3 (moto), gunicorn, Celery worker and beat at http://127.0.0.1:$(PORT)
	$(PY) .ci/production_profile.py site --port $(PORT)

e2e: install ## only the browser tests
	$(PY) -m pytest -q -n 2 --dist loadfile -m e2e

smoke: install ## the production steps: collectstatic and gunicorn with DEBUG=0, main pages fetched (SMOKE_DATABASE_URL, default SQLite)
	$(PY) .ci/production_smoke.py

fuzz-api: install ## schemathesis against the live API with the demo data (FUZZ_DATABASE_URL, default local PostgreSQL)
	$(PY) .ci/api_fuzz.py

lint: install ## ruff, import contracts, mypy (strict on the whole application tree), missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	GRASSROOTS_TESTING=1 $(VENV)/bin/mypy
	GRASSROOTS_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

format: install ## apply ruff's formatting and import order
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## refresh the English catalogue and compile it
	GRASSROOTS_TESTING=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete
	GRASSROOTS_TESTING=1 $(PY) manage.py compilemessages -l en --ignore=.venv
