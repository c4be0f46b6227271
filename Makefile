# Two commands: `make demo` and `make test`. Both create or update .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint bench bench-extract bench-timex train-dump clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/newsprism demo

test: install lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests

# Figures for the README; needs ../shared/data (see docs/benchmarks.md).
bench: bench-extract bench-timex

bench-extract: install
	mkdir -p bench-out
	$(BIN)/newsprism bench extract --jobs 2 --out bench-out/extract.json

bench-timex: install
	$(BIN)/newsprism bench timex

# Retrain the page-dump line classifier (scikit-learn is a training-only extra).
train-dump: install
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python -m newsprism.bench.train_dump

clean:
	rm -rf $(VENV) var bench-out .pytest_cache .ruff_cache
