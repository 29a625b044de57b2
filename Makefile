# Argonaut: `make run` runs the demo, `make test` runs lint, type checks and the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BENCH ?=
# Let Python cache compiled bytecode beside the sources (git ignores __pycache__): with
# PYTHONDONTWRITEBYTECODE set, every process the suite, the demo or a benchmark starts
# recompiles all of Argonaut first (~1.4 billion instructions, about half a second).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint typecheck pytest bench clean

$(VENV)/.base: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.base
	@$(PY) -m pip install --quiet -e '.[dev,postgres,redis]'
	@touch $@

run: $(VENV)/.base
	$(VENV)/bin/argonaut run $(ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

pytest: $(VENV)/.dev
	$(PY) -m pytest -q

test: lint pytest

bench: $(VENV)/.base
	$(PY) benchmarks/run.py $(BENCH)

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
