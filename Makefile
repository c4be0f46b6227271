# Two commands: `make demo` and `make test`. Both create or update .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo demo-check test lint chromium postgresql fuzz bench bench-extract bench-timex bench-quotes bench-annotate bench-serve bench-techniques bench-link bench-robust train-dump train-techniques clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo ends by serving the sample corpus; without a terminal (CI, scripts) it checks every page
# kind once on a free port instead of blocking.
DEMO_DB := var/demo/newsprism.sqlite

demo: install
	$(BIN)/newsprism demo
	@if [ -t 0 ]; then $(BIN)/newsprism serve --db $(DEMO_DB); else \
	  $(BIN)/newsprism serve --db $(DEMO_DB) --check && \
	  echo "newsprism: no terminal, so not serving; to browse: $(BIN)/newsprism serve --db $(DEMO_DB)"; fi

demo-check: install
	$(BIN)/newsprism demo
	$(BIN)/newsprism serve --db $(DEMO_DB) --check

test: install lint chromium postgresql
	$(BIN)/python -m pytest

# Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	  || echo "newsprism: chromium could not be installed; the browser tests will skip" >&2

# Debian's PostgreSQL server binaries: the tests start a throwaway server of their own on loopback
# (the package's own cluster is not used).
postgresql:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } \
	  || echo "newsprism: postgresql could not be installed; the PostgreSQL tests will skip" >&2

lint: install
	$(BIN)/ruff check src tests fuzz

# Coverage-guided fuzzing of every reader and layer (atheris), FUZZ_SECONDS per target; not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: install
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

# Figures for the README; needs ../shared/data (see docs/benchmarks.md).
bench: bench-extract bench-timex bench-quotes bench-annotate bench-techniques bench-link bench-robust

bench-extract: install
	mkdir -p bench-out
	$(BIN)/newsprism bench extract --jobs 2 --out bench-out/extract.json

bench-timex: install
	$(BIN)/newsprism bench timex

bench-quotes: install
	$(BIN)/newsprism bench quotes --split dev

bench-annotate: install
	$(BIN)/newsprism bench annotate

bench-serve: install
	$(BIN)/newsprism bench serve

bench-techniques: install
	$(BIN)/newsprism bench techniques
	$(BIN)/newsprism bench techniques --jobs 2

bench-robust: install
	mkdir -p bench-out
	$(BIN)/newsprism bench robust --jobs 2 --out bench-out/robust.json

bench-link: install
	$(BIN)/newsprism bench link --tune --sizes 10000,50000,100000 --incremental 10000,100000

# Retrain the page-dump line classifier (scikit-learn is a training-only extra).
train-dump: install
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python -m newsprism.bench.train_dump

# Retrain the techniques model (torch is a training-only extra, CPU build; 10 to 36 min on 2 cores, by machine).
train-techniques: install
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python -m newsprism.bench.train_techniques

clean:
	rm -rf $(VENV) var bench-out .pytest_cache .ruff_cache
