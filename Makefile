# Bigan 笔杆 — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SHARED ?= ../shared
STAMP := $(VENV)/.installed

.PHONY: run test install eval bench lint clean phrasebank

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bigan db upgrade
	$(BIN)/bigan ingest --if-empty corpus
	@echo "Bigan 笔杆: http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/docs)"
	$(BIN)/bigan serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

eval: install
	$(BIN)/python -m app.evaluate $(SHARED)/corpus

bench: install
	$(BIN)/python -m benchmarks.run

# Re-export phrasebank/bank.jsonl from the bundled corpus (a fresh temporary database).
phrasebank: install
	@tmp=$$(mktemp -d); export BIGAN_DATA_DIR=$$tmp DATABASE_URL=; \
	$(BIN)/bigan db upgrade >/dev/null && $(BIN)/bigan ingest corpus >/dev/null && $(BIN)/bigan phrasebank export; \
	status=$$?; rm -rf $$tmp; exit $$status

clean:
	rm -rf var .pytest_cache .ruff_cache
