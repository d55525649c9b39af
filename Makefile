# Two commands on a fresh machine:  make site   and   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install -q --disable-pip-version-check -c constraints.txt
OUT    ?= site

.PHONY: site test truth asof replay shards bench-check bench bench-preview serve preview clean vendor

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site: pyproject.toml constraints.txt | $(PY)
	$(PIP) -e .
	@touch $@

$(VENV)/.test: pyproject.toml constraints.txt $(VENV)/.site
	$(PIP) -e '.[test]'
	@touch $@

## site: build the site from the embedded snapshot into site/ (no network)
site: $(VENV)/.site
	$(PY) build.py --out $(OUT)
	@echo "open $(OUT)/index.html, or run: make serve"

## test: run the whole test suite (its long variants are the targets truth, asof, replay and shards)
test: $(VENV)/.test
	$(PY) -m pytest -q

## truth: build the site at 40 dates (2000-2026) and check every generated sentence against its figures
truth: $(VENV)/.test
	$(PY) tests/truth.py

## asof: build the default site as of 8 dates before some funds started (2000-2022) and check that none is named
asof: $(VENV)/.test
	$(PY) tests/asof_dates.py

## replay: DAYS (default 60) consecutive weekdays of what publish.yml does, on the real yfinance over a
## fake Yahoo (tests/replay.py; one line per day; the short version runs inside make test)
DAYS ?= 60
replay: $(VENV)/.test
	$(PY) tests/replay.py --days $(DAYS) -v

## shards: the default site in three shards, merged, byte for byte the unsharded build (slow; tests/test_shards.py)
shards: $(VENV)/.test
	VERSUS_SHARDS_DEFAULT=1 $(PY) -m pytest -q tests/test_shards.py -k default_site

## bench-check: `python -m bench --quick` on the default site, checked (tests/test_bench.py; make test runs it
## with a one-pair site as the default site)
bench-check: $(VENV)/.test
	VERSUS_BENCH_DEFAULT=1 $(PY) -m pytest -q tests/test_bench.py -k quick

$(VENV)/.bench: pyproject.toml constraints.txt $(VENV)/.site
	$(PIP) -e '.[bench]'
	@touch $@

## bench: measure the default site, a synthetic 200-fund / 1,000-pair universe and QuantStats (bench/results.json)
bench: $(VENV)/.bench
	$(PY) -m bench

## bench-preview: save -> updated page in the preview, N commentary edits on the default site (bench/preview.json)
bench-preview: $(VENV)/.test
	$(PY) -m bench.preview --edits 15

## serve: build, then serve site/ on http://localhost:8000/
serve: site
	$(PY) -m http.server --directory $(OUT) 8000

## preview: build, serve on http://127.0.0.1:$(PORT)/ and rebuild the edited page on every save (reloads the tab)
PORT ?= 8000
preview: $(VENV)/.site
	$(PY) build.py serve --port $(PORT)

## vendor: regenerate static/vendor/vega-bundle.js from the pinned vl-convert
vendor: $(VENV)/.site
	$(PY) scripts/vendor_vega.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
