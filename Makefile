# sitrep: the two commands are `make run` and `make test`.
#
# Both create .venv (python3 -m venv) if it is missing and install the project with its
# dev tools, pinned by requirements.lock; the install is redone only when pyproject.toml
# or requirements.lock change (stamp file .venv/.installed). Tools are run as
# `.venv/bin/python -m ...` so they always use this checkout's virtualenv.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test bench install lint typecheck

run: $(STAMP)
	$(PY) -m sitrep db upgrade
	$(PY) -m sitrep db seed
	$(PY) -m sitrep ingest seeds/articles
	$(PY) -m sitrep serve --host $(HOST) --port $(PORT)

test: lint typecheck
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy
	$(PY) $(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) -m bench

install: $(STAMP)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "sitrep needs Python 3.11 or newer as '$(PYTHON)' (make PYTHON=python3.12 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)
