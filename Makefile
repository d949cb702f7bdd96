# The two commands of the README. Everything a fresh machine needs is installed here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= $(HOME)/.local/share/dealgraph/store

.PHONY: run test setup setup-test chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Debian's chromium for the browser tests (never a Playwright browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

## Ingest the bundled sample articles into the embedded store, then open the viewer.
run: setup
	DEALGRAPH_STORE=$(STORE) $(BIN)/dealgraph ingest samples
	DEALGRAPH_STORE=$(STORE) $(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

## Install everything the tests need and run them (what CI runs).
test: setup-test chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider
