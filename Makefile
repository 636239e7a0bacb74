# The two commands of the README: `make run` and `make test`. Everything else is set-up they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Tests run against the PostgreSQL and Redis of this machine (or docker compose up db redis).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/digitalfabrik
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install system-deps messages lint format audit node-deps

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

system-deps:
	./scripts/system-deps

messages: install system-deps
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'var' --ignore 'node_modules' -v0

run: messages
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# ruff, and the import-linter contracts of pyproject.toml (the layers of STYLE.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Known vulnerabilities in the pinned requirements and what they pull in (pip-audit, PyPI's advisory
# data; see scripts/audit). AUDIT_STRICT=1 also fails on a package whose advisory data is unreachable.
audit: install
	$(BIN)/python scripts/audit requirements.txt

# axe-core for the accessibility browser test (npm, test only; no browser downloads).
node_modules/axe-core: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

node-deps: node_modules/axe-core

test: messages lint audit node-deps
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)} \
	$(BIN)/pytest -n auto --dist loadgroup $(PYTEST_ARGS)
