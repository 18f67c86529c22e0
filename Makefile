# En väg in – the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install run test test-fast catalogs extract-messages clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalled only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,test]'
	touch $@

install: $(VENV)/.installed catalogs

catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages --statistics 2>&1 | tail -n 2

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	    --project="En vag in" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching

run: install
	$(BIN)/portal init --demo
	$(BIN)/portal demo-cases
	$(BIN)/portal demo-history
	$(BIN)/portal serve --host $(HOST) --port $(PORT)

# pytest-xdist: one worker per core (TEST_WORKERS=0 runs in this process); each
# worker has its own PostgreSQL database (tests/conftest.py, postgres_url).
TEST_WORKERS ?= auto

test: install
	$(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS)

test-fast: install
	$(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS) -m "not browser"

clean:
	rm -rf $(VENV) instance .stamp-*
