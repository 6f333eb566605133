# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# ingests the bundled sample into a fresh database under out/ (git-ignored), lists the events, prints a dyad
demo: $(STAMP)
	mkdir -p out
	rm -f out/demo.duckdb out/demo.duckdb.wal
	$(BIN)/polevents ingest --db out/demo.duckdb samples/news samples/wire.jsonl
	$(BIN)/polevents events --db out/demo.duckdb --limit 12
	$(BIN)/polevents dyad --db out/demo.duckdb USA IRN --by year

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
