# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed  ## the main job: the Baltic Entente's record and its state at telling dates
	$(BIN)/entente overview
	@echo "(The entente command is in $(BIN): run '. $(BIN)/activate' to put it on your PATH.)"

test: $(BIN)/.installed  ## lint, type-check, then the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(BIN)/.installed  ## the engine benchmark: one table, Entente against the eventsourcing library
	$(BIN)/pip install --quiet -e '.[bench]'
	cd bench && ../$(BIN)/python engine.py $(BENCH)

clean:
	rm -rf $(VENV) entente.db entente.db-wal entente.db-shm
