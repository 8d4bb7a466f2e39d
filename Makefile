# nhiemvu: `make run` and `make test` work on a fresh Debian machine with git and Python 3.11.
# They install what is missing (Debian packages, a .venv with the pinned dependencies) first.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# What running needs: Tesseract with the Vietnamese model, English for item numbers, orientation.
DEB_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
# What only the tests need besides: office suites and a browser print the fixture documents,
# PostgreSQL is the instance storage of the scale-out test (started and stopped by the test).
TEST_DEB_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui chromium postgresql
# the environment wins: `DAGSTER_HOME=/x make run` keeps its state in /x
DAGSTER_HOME ?= $(CURDIR)/.dagster
export DAGSTER_HOME
export DAGSTER_TELEMETRY_ENABLED := false
export OMP_THREAD_LIMIT := 1

.PHONY: run test install install-test system-deps test-system-deps deb-packages samples bench docs clean dev figures ocr-seed

run: install
	$(VENV)/bin/nhiemvu run --raw raw --curated curated

test: install-test
	$(PY) -m pytest

# Write every accuracy figure the suite measures into bench/figures.json (new or higher only; review the diff).
figures: install-test
	NHIEMVU_RATCHET=write $(PY) -m pytest

# Make the OCR seed of the tests (tests/fixtures/ocr-cache) anew: the suite from an empty cache, then
# what it OCR'd becomes the seed (needed after a change to the OCR code or engine; some minutes).
ocr-seed: install-test
	NHIEMVU_OCR_SEED=write $(PY) -m pytest

dev: install
	$(VENV)/bin/nhiemvu dev

install: system-deps $(STAMP)

install-test: system-deps test-system-deps $(DEV_STAMP)

# Debian packages for OCR (Tesseract with Vietnamese); `make test` adds TEST_DEB_PACKAGES.
system-deps:
	@$(MAKE) --no-print-directory deb-packages PACKAGES="$(DEB_PACKAGES)"

test-system-deps:
	@$(MAKE) --no-print-directory deb-packages PACKAGES="$(TEST_DEB_PACKAGES)"

deb-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# `make run` installs the product's dependencies; the tests' and benchmarks' (`[dev]`) come with `make test`.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(DEV_STAMP)

# Regenerate the sample corpus in raw/ from the ground-truth specs (output is committed).
samples: install-test
	$(PY) -m tests.fixtures.make_samples

# Regenerate docs/data-dictionary.md from normalizers/schema.py.
docs: install
	$(PY) -m normalizers.schema

# Speed/memory against pdfplumber and camelot, and cell accuracy on ICDAR 2013 (see bench/README.md).
bench: install-test
	$(PY) -m bench.bench_speed
	$(PY) -m bench.icdar_compare

clean:
	rm -rf .dagster curated/*.parquet
