# SeatDesk developer commands. The README promises two: `make run` and `make test`.
# Both prepare everything themselves (system packages, .venv, the package) and
# are quick to repeat: installs are remembered by a stamp inside .venv, keyed on
# the content of pyproject.toml, so they rerun only when it changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --no-input -q
ARGS ?=
PYTEST_ARGS ?=

# First 16 hex digits of sha256(pyproject.toml): a changed file means a new stamp name.
DEPS_KEY := $(shell $(PYTHON) -c "import hashlib;print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:16])")
RUN_STAMP := $(VENV)/.installed-run-$(DEPS_KEY)
TEST_STAMP := $(VENV)/.installed-test-$(DEPS_KEY)

TS_FILES := $(wildcard resources/translations/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

# Tests never show windows and never touch the user's keyring.
TEST_ENV := QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} \
	PYTHON_KEYRING_BACKEND=desktop.core.secrets.MemoryKeyring

.PHONY: help run test bundle bench system-deps translations venv clean

help:
	@echo "make run     set up everything and start the demo (seatdesk --demo; ARGS=... adds options)"
	@echo "make test    set up everything and run the whole test suite (PYTEST_ARGS=... adds options)"
	@echo "make bundle  build the PyInstaller one-folder app into dist/seatdesk"
	@echo "make bench   run every benchmark script in tests/benchmarks with --json"
	@echo "make clean   remove .venv, build/ and dist/"

run: system-deps $(RUN_STAMP)
	@$(MAKE) --no-print-directory translations
	$(VENV)/bin/seatdesk --demo $(ARGS)

test: system-deps $(TEST_STAMP)
	@$(MAKE) --no-print-directory translations
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

bundle: system-deps $(TEST_STAMP)
	@$(MAKE) --no-print-directory translations
	$(PY) -m PyInstaller --noconfirm --log-level=WARN build.spec
	@echo "built dist/seatdesk/seatdesk"

bench: system-deps $(TEST_STAMP)
	@shopt -s nullglob; ran=0; failed=(); \
	for script in tests/benchmarks/*.py; do \
	    case "$$(basename "$$script")" in __init__.py|conftest.py|_*|test_*) continue;; esac; \
	    ran=$$((ran + 1)); echo "== $$script" >&2; \
	    $(TEST_ENV) $(PY) "$$script" --json || failed+=("$$script"); \
	done; \
	if [ "$$ran" = 0 ]; then echo "no benchmark scripts in tests/benchmarks" >&2; exit 1; fi; \
	if [ "$${#failed[@]}" != 0 ]; then echo "failed: $${failed[*]}" >&2; exit 1; fi

system-deps:
	@bash scripts/install-system-deps.sh

venv: $(RUN_STAMP)

# The venv itself. --clear: this only runs when .venv/bin/python is missing or
# broken (say, the Python it pointed to is gone), so start from nothing.
$(PY):
	@echo "creating $(VENV) with $$(command -v $(PYTHON))"
	$(PYTHON) -m venv --clear $(VENV) || { rm -rf $(VENV); exit 1; }

$(RUN_STAMP): | $(PY)
	rm -f $(VENV)/.installed-run-*
	$(PIP) install -e .
	touch $@

# The test extras include everything `run` needs, so they satisfy its stamp too.
$(TEST_STAMP): | $(PY)
	rm -f $(VENV)/.installed-run-* $(VENV)/.installed-test-*
	$(PIP) install -e '.[test,postgres]'
	touch $(RUN_STAMP) $@

# .qm files are build products of the .ts sources beside them (i18n.py loads them).
translations: $(QM_FILES)
	@:

resources/translations/%.qm: resources/translations/%.ts
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

clean:
	rm -rf $(VENV) build dist
