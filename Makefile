# Two commands for a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    set up .venv and start the dashboard (demo data when the store is empty)
#   make test   set up .venv and everything the tests need, then run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test

run: setup
	$(BIN)/python -m civsam demo --if-empty
	$(BIN)/streamlit run dashboard.py

test: setup-test
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@
