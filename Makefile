# The two commands of the README. Both set up .venv first (only when pyproject.toml changed).
VENV ?= .venv
PYTHON ?= python3

.PHONY: run test setup check

run: setup
	$(VENV)/bin/puente start

# One pytest-xdist worker per core (at most 8), each with its own databases and servers.
# One file, one test or one backend: docs/development.md, "Tests".
# Bytecode is kept (__pycache__, ignored by git) even where the environment says not to write it:
# every xdist worker and every `puente` process a test starts would otherwise compile the
# project again, and pytest rewrite the asserts of all test modules again (3 s per worker).
test: setup
	env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/python -m pytest -n auto --maxprocesses 8

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

check: setup
	$(VENV)/bin/puente dialogs check
	$(VENV)/bin/puente i18n stats
