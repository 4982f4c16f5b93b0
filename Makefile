# Two commands for a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    set up .venv and start the dashboard (demo data when the store is empty)
#   make test   set up .venv and everything the tests need, then run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian's Chromium draws chart images for downloads and the deck (kaleido), and the browser tests drive it
# (Playwright's own browser download does not work here); the tests check every page with axe-core from npm.
CHROMIUM := /usr/bin/chromium
AXE := tests/browser/node_modules/axe-core/axe.min.js
# The PostgreSQL tests start a private server from Debian's postgresql package (tests/pg_server.py).
POSTGRES := /usr/lib/postgresql
# The proxy test runs deploy/nginx/civsam.conf in Debian's nginx (tests/browser/test_proxy.py).
NGINX := /usr/sbin/nginx

.PHONY: run test setup setup-test

run: setup
	$(BIN)/python -m civsam demo --if-empty
	$(BIN)/python -m civsam serve

# pytest-xdist runs the tests in one process per core: much of the suite waits on Chromium, Streamlit and PostgreSQL
test: setup-test
	$(BIN)/python -m pytest -n auto

setup: $(VENV)/.installed $(CHROMIUM)

setup-test: setup $(VENV)/.installed-test $(AXE) $(POSTGRES) $(NGINX)

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-dejavu-core; \
	else \
		echo "Chart images and the browser tests need Debian's chromium at $@: run 'sudo apt-get install chromium'."; \
	fi

$(POSTGRES):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; \
	else \
		echo "The PostgreSQL tests need Debian's postgresql: run 'sudo apt-get install postgresql'."; \
	fi

$(NGINX):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; \
	else \
		echo "The proxy test needs Debian's nginx: run 'sudo apt-get install nginx'."; \
	fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@
