# nhiemvu: `make run` and `make test` work on a fresh Debian machine with git and Python 3.11.
# They install what is missing (Debian packages, a .venv with the pinned dependencies) first.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEB_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd ghostscript qpdf pngquant unpaper libreoffice-writer-nogui libreoffice-calc-nogui chromium
# the environment wins: `DAGSTER_HOME=/x make run` keeps its state in /x
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export DAGSTER_TELEMETRY_ENABLED := false
export OMP_THREAD_LIMIT := 1

.PHONY: run test install system-deps samples bench docs clean dev figures ocr-seed

run: install
	$(VENV)/bin/nhiemvu run --raw raw --curated curated

test: install
	$(PY) -m pytest

# Write every accuracy figure the suite measures into bench/figures.json (new or higher only; review the diff).
figures: install
	NHIEMVU_RATCHET=write $(PY) -m pytest

# Make the OCR seed of the tests (tests/fixtures/ocr-cache) anew: the suite from an empty cache, then
# what it OCR'd becomes the seed (needed after a change to the OCR code or engine; some minutes).
ocr-seed: install
	NHIEMVU_OCR_SEED=write $(PY) -m pytest

dev: install
	$(VENV)/bin/nhiemvu dev

install: system-deps $(STAMP)

# Debian packages for OCR (Tesseract with Vietnamese, Ghostscript/qpdf for OCRmyPDF).
system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Regenerate the sample corpus in raw/ from the ground-truth specs (output is committed).
samples: install
	$(PY) -m tests.fixtures.make_samples

# Regenerate docs/data-dictionary.md from normalizers/schema.py.
docs: install
	$(PY) -m normalizers.schema

# Speed/memory against pdfplumber and camelot, and cell accuracy on ICDAR 2013 (see bench/README.md).
bench: install
	$(PY) -m bench.bench_speed
	$(PY) -m bench.icdar_compare

clean:
	rm -rf .dagster curated/*.parquet
