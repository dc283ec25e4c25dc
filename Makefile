# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean screenshots assets messages mutation

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@# The browser tests drive Debian's Chromium; where it is missing, root installs it (else they are skipped).
	@[ -x /usr/bin/chromium ] || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || true
	touch $@

run: $(BIN)/.installed  ## the main job: the Baltic Entente on one screen, and what to ask next
	$(BIN)/entente overview
	@echo "(The entente command is in $(BIN): run '. $(BIN)/activate' to put it on your PATH.)"

test: $(BIN)/.installed  ## lint, type-check, then the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

# Mutation testing of the rule kinds against their tests (pyproject.toml [tool.mutmut]); slow, not part of `make test`.
# Prints, per rule module, the mutants killed (or timed out) out of those tried.
mutation: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[mutation]'
	$(BIN)/mutmut run --max-children 2 "entente.rules.*" > /dev/null
	$(BIN)/mutmut results --all true | awk -F'[ :]+' '$$3 != "not" { split($$2, n, "."); \
	  m = n[3] ~ /^x_/ ? "__init__" : n[3]; tried[m]++; if ($$3 == "killed" || $$3 == "timeout") killed[m]++ } \
	  END { for (m in tried) printf "%-24s %4d of %4d killed  %5.1f%%\n", m, killed[m], tried[m], 100 * killed[m] / tried[m] }' \
	  | sort

bench: $(BIN)/.installed  ## the engine benchmark: one table, Entente against the eventsourcing library
	$(BIN)/pip install --quiet -e '.[bench]'
	cd bench && ../$(BIN)/python engine.py $(BENCH)

screenshots: $(BIN)/.installed  ## the README's pictures of the main pages, taken in Chromium
	$(BIN)/python -m tests.browser docs/screenshots

assets:  ## refresh the vendored npm assets (the only step that needs npm)
	sh src/entente/web/vendor.sh

messages: $(BIN)/.installed  ## extract the web pages' messages and update each language's catalog
	cd src/entente/web && ../../../$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		-o locales/messages.pot . && ../../../$(BIN)/pybabel update -i locales/messages.pot -d locales \
		--ignore-obsolete

clean:
	rm -rf $(VENV) entente.db entente.db-wal entente.db-shm mutants
