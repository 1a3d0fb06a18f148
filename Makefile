# The two commands: `make run` serves the app, `make test` runs the whole test suite.
# Both create .venv with the pinned requirements on first use (Python 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint format bench screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps  ## serve the app on http://localhost:$(PORT)
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev-deps  ## lint, then every test (browser/PostGIS tests skip if those are missing)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev-deps  ## print the benchmark figures
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

screenshot: $(VENV)/.dev-deps  ## regenerate docs/screenshot.png (needs /usr/bin/chromium)
	$(BIN)/python scripts/screenshot.py docs/screenshot.png
	$(BIN)/python scripts/screenshot_leaders.py docs/leaders.png

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
