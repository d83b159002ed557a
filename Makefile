# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8501
# Where `make run` listens: this machine only (saving allowed). ADDRESS=0.0.0.0 serves a team, read-only.
ADDRESS ?= 127.0.0.1
# Saving the catalog file is an opt-in (see README, "Read-only mode"): on for `make run` on loopback,
# off on any other address unless PLANNER_WRITABLE=1 is given.
PLANNER_WRITABLE ?= $(if $(filter 127.0.0.1 localhost ::1,$(ADDRESS)),1,0)

.PHONY: run test test-fast lint format typecheck requirements install-check bench schema clean chromium

# An existing virtualenv (or a link to one) is reused: only its packages are brought up to the pins.
$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	PLANNER_WRITABLE=$(PLANNER_WRITABLE) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# The browser tests need Debian's chromium; install it when missing (root), or say how.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install -y chromium' (the browser tests will be skipped)"; \
	  fi; }

test: $(VENV)/.dev chromium
	$(PY) -m pytest -q

test-fast: $(VENV)/.dev
	$(PY) -m pytest -q -m "not browser"

# ruff (rules and settings in pyproject.toml), and the derived requirements files in step with it
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/requirements.py --check

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# mypy with the pydantic plugin over planner/ and pricing/ (settings in pyproject.toml)
typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy

# requirements*.txt from the pins in pyproject.toml
requirements:
	$(PYTHON) tools/requirements.py

# `pip install .` in a new virtualenv, then every subcommand of `llm-planner` from another directory
install-check:
	PYTHON=$(PYTHON) tools/install-check.sh

bench: $(VENV)/.dev chromium
	$(PY) -m benchmarks

schema: $(VENV)/.runtime
	$(PY) -m pricing.schema

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache dist build
