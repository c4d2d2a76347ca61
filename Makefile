# Everything a fresh machine needs: `make run` (convert samples/) and
# `make test`. Both create the virtual environment on first use.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp
# Debian packages the tests use: a browser and a CJK font for the HTML
# audit report; tesseract with its simplified-Chinese model for OCR of
# scanned pages; Java for Spark reading the Parquet output. Installed when
# missing and we are root; otherwise the tests that need them skip, saying why.
SYSTEM_PACKAGES = chromium fonts-wqy-microhei tesseract-ocr tesseract-ocr-chi-sim openjdk-17-jre-headless
SYSTEM_STAMP = $(VENV)/.system-stamp
OUT ?= out

.PHONY: run test bench schema golden samples clean

# An editable install is not byte-compiled (pip compiles only what it
# copies), and where PYTHONDONTWRITEBYTECODE is set nothing ever writes the
# cache: every run would compile the package anew (0.2 s here).
COMPILE = $(BIN)/python -m compileall -q -x '/(\.venv|\.cache|tests)/' .

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ocr]'
	touch $(STAMP)

run: $(STAMP)
	$(COMPILE)
	$(BIN)/zhenggai extract samples -o $(OUT)
	$(BIN)/zhenggai audit samples/xinjiang_rectification_plan_2022.txt samples/*_progress_report_*.txt -o $(OUT)/audit

$(SYSTEM_STAMP): scripts/install-system-packages Makefile | $(STAMP)
	scripts/install-system-packages $(SYSTEM_PACKAGES)
	touch $(SYSTEM_STAMP)

test: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python -m pytest

# PAGES: size of the generated PDF corpus; ROUNDS: how many times the runs
# are repeated (make bench PAGES=300 ROUNDS=1 for a quick run).
PAGES ?= 2000
ROUNDS ?= 3
bench: $(STAMP)
	$(COMPILE)
	$(BIN)/python benchmarks/bench.py --pages $(PAGES) --rounds $(ROUNDS)

# Regenerate the committed JSON Schema after changing model.py.
schema: $(STAMP)
	$(BIN)/python -m zhenggai.output.schema

# Regenerate golden files on purpose; review the diff before committing.
golden: $(STAMP)
	ZHENGGAI_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

# Regenerate the sample PDFs and .docx from the sample text.
samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

clean:
	rm -rf $(OUT) build *.egg-info .pytest_cache
