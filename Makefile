# Two entry points for a fresh machine (see README):
#   make demo  - set up, build the graph from the bundled corpus, print statistics, draw the map
#   make test  - set up (with Debian's chromium for the browser tests) and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STORE  ?= kg-store

.PHONY: demo test setup setup-test chromium bench clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/kg

setup: $(BIN)/kg

# Browser tests and screenshots use Debian's chromium (never a browser download).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-liberation; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-liberation; fi; }

demo: setup
	$(BIN)/kg build corpus/seeds corpus/press --store $(STORE)
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg map --store $(STORE) -o map.html

test: setup chromium
	$(BIN)/python -m pytest --nbmake tests notebooks

bench: setup
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(STORE) map.html .pytest_cache
