# Two commands do all the set-up: `make run` and `make test`.
# Every install takes exactly the versions in uv.lock (with their hashes); `make lock` updates it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv, pinned, in a folder of its own so that a sync of .venv never removes it.
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# The interpreter that runs make is the one the project runs on; uv never downloads one.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Every install holds its modules' bytecode, as pip's does: where Python may not write it (PYTHONDONTWRITEBYTECODE),
# each process would compile every module it imports again, seconds for each process `entente serve` starts.
export UV_COMPILE_BYTECODE := 1
SYNC := $(UV) sync --locked --quiet --inexact

.PHONY: run test lock locked install chromium lint bench bench-memory bench-startup bench-fuzz clean screenshots assets messages mutation docs

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Fails, naming the fix, when pyproject.toml asks for something uv.lock does not hold.
locked: $(UV)
	@$(UV) lock --check --quiet 2>/dev/null || { \
		echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock" >&2; exit 1; }

lock: $(UV)  ## resolve the dependencies anew and write uv.lock
	$(UV) lock --upgrade

# The project's own modules are installed as their source (editable), which uv does not compile: compiled
# here, so that no command compiles them again where Python may not write bytecode (PYTHONDONTWRITEBYTECODE).
COMPILE := $(BIN)/python -m compileall -q -j 0 src

install: locked
	$(SYNC) --no-dev
	@$(COMPILE)

# The browser tests drive Debian's Chromium; where it is missing, root installs it (else they are skipped).
chromium:
	@[ -x /usr/bin/chromium ] || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || true

run: install  ## the main job: the Baltic Entente on one screen, and what to ask next
	$(BIN)/entente overview
	@echo "(The entente command is in $(BIN): run '. $(BIN)/activate' to put it on your PATH.)"

# The benchmarks are type-checked as each runs: most as scripts (`python bench/X.py`, naming each other by bare
# module names), these as modules of the project folder (`python -m bench.X`, beside the tests' helpers).
BENCH_MODULES := bench/checking.py bench/faults.py bench/fuzz.py bench/secrecy.py

test: locked chromium  ## lint, type-check, then the whole test suite, on every core
	$(SYNC) --group docs --group bench
	@$(COMPILE)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	MYPYPATH=src:bench $(BIN)/mypy $(filter-out $(BENCH_MODULES),$(wildcard bench/*.py))
	$(BIN)/mypy --explicit-package-bases $(BENCH_MODULES)
	$(BIN)/pytest -q -n auto --dist worksteal

# Mutation testing of the rule kinds, the clearance filter and date parsing against their tests (pyproject.toml
# [tool.mutmut]); slow, not part of `make test`.  Prints, per module, the mutants killed (or timed out) out of those tried.
MUTATED := "entente.rules.*" "entente.secretariat.clearance*" "entente.vocabulary.dates*" "entente.vocabulary.lv*" \
	"entente.vocabulary.asked*"
mutation: locked
	$(SYNC) --group mutation
	$(BIN)/mutmut run --max-children 2 $(MUTATED) > /dev/null
	$(BIN)/mutmut results --all true | awk -F'[ :]+' '$$3 != "not" { split($$2, n, "."); \
	  m = n[2] != "rules" ? n[2] "." n[3] : n[3] ~ /^x_/ ? "__init__" : n[3]; \
	  tried[m]++; if ($$3 == "killed" || $$3 == "timeout") killed[m]++ } \
	  END { for (m in tried) printf "%-24s %4d of %4d killed  %5.1f%%\n", m, killed[m], tried[m], 100 * killed[m] / tried[m] }' \
	  | sort

# The reference pages are made again from the code (a test fails while a committed one differs), then every
# page is built into site/; nothing is fetched from the network.
docs: locked  ## the documentation as a website in site/
	$(SYNC) --group docs
	$(BIN)/python -m entente.reference docs/reference
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	@echo "The documentation is in site/ (open site/index.html, or run '$(BIN)/mkdocs serve')."

bench: locked  ## the engine benchmark: one table, Entente against the eventsourcing library
	$(SYNC) --group bench
	cd bench && ../$(BIN)/python engine.py $(BENCH)

bench-memory: locked  ## replay beside the bare loop, and the memory a restarted server holds per entry: one table
	$(SYNC)
	cd bench && ../$(BIN)/python memory.py $(BENCH)

bench-startup: locked  ## start-up of the entente command, as whole processes, against `python -c pass`: one table
	$(SYNC)
	$(BIN)/python bench/startup.py $(BENCH)

bench-fuzz: locked  ## a long run of generated requests against every API operation: cases, server errors, times
	$(SYNC)
	$(BIN)/python -m bench.fuzz $(BENCH)

screenshots: locked  ## the README's pictures of the main pages, taken in Chromium
	$(SYNC)
	$(BIN)/python -m tests.browser docs/screenshots

assets:  ## refresh the vendored npm assets (the only step that needs npm)
	sh src/entente/web/vendor.sh

messages: locked  ## extract the messages of the web pages and the command line, and update each language's catalog
	$(SYNC)
	cd src/entente && ../../$(BIN)/pybabel extract -F languages/babel.cfg -k N_ -k said -k counted:1,2 --no-location --sort-output \
		-o languages/locales/messages.pot . && ../../$(BIN)/pybabel update -i languages/locales/messages.pot \
		-d languages/locales --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(TOOLS) entente.db entente.db-wal entente.db-shm mutants site
